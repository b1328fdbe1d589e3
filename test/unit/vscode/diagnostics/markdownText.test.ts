// Hostile snippets through the hover's escaping, checked by rendering the result with markdown-it (a CommonMark
// renderer, here with HTML and autolinks switched ON — stricter than VS Code's hover, which has HTML off): the
// rendered paragraph must hold exactly the original text, and no link, image, HTML tag or code span of its own.
import assert from 'node:assert/strict';
import { RULES } from '../../../../src/core/lint';
import type { Finding } from '../../../../src/core/lint/types';
import { hoverMarkdown } from '../../../../src/vscode/diagnostics/hover';
import { codeSpan, encodeLinkArgs, escapeMarkdown } from '../../../../src/vscode/diagnostics/markdownText';

interface MarkdownIt {
  render(src: string): string;
  renderInline(src: string): string;
}
// markdown-it ships with the packaging tools (a dev dependency of @vscode/vsce); it has no types of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markdownIt = require('markdown-it') as (options: object) => MarkdownIt;
const md = markdownIt({ html: true, linkify: true });

/** The text a browser would show for rendered inline HTML (entities decoded), plus the tags it contains. */
function shown(html: string): { text: string; tags: string[] } {
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase());
  const text = html
    .replace(/<br\s*\/?>\n?/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&nbsp;|\u00a0/g, ' ');
  return { text, tags };
}

const HOSTILE = [
  '<img src=x onerror="alert(1)">',
  '[click me](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
  '![x](https://evil.example/p.png)',
  '`code` and ``double`` and a lone `',
  'x = F.softmax(logits, dim=1)[:, 1:] * mask_1_ + y**2',
  '<script>alert(1)</script> &lt;b&gt; &amp; &#x3C;',
  'see www.evil.example or https://evil.example/x or a@b.example',
  '# heading\n- item\n1. item\n> quote\n===\n    indented\n---',
  '$(zap) {x} |a|b| ~~s~~ \\*not bold\\*',
  '[ref]: command:evil "title"\n[ref]',
];

describe('host/diagnostics markdown escaping of user code', () => {
  for (const snippet of HOSTILE) {
    it(`shows ${JSON.stringify(snippet.slice(0, 40))} literally, with no markup of its own`, () => {
      const html = md.renderInline(escapeMarkdown(snippet));
      const { text, tags } = shown(html);
      assert.deepEqual(
        tags.filter((t) => t !== 'br'),
        [],
        html,
      );
      assert.equal(text.replace(/ +\n/g, '\n'), snippet.replace(/\t/g, ' '));
    });
  }

  it('keeps numbers and plain punctuation readable in the raw markdown', () => {
    assert.equal(escapeMarkdown('Dice 0.50, not 0.97; why?'), 'Dice 0.50, not 0.97; why?');
    assert.equal(escapeMarkdown('1. item, 2.5.'), '1\\. item, 2.5\\.');
  });

  it('escapes each line so none starts a block (heading, list, quote, rule, code)', () => {
    const html = md.render(escapeMarkdown(HOSTILE[7]));
    assert.deepEqual(
      [...html.matchAll(/<([a-z0-9]+)/g)].map((m) => m[1]).filter((t) => t !== 'br'),
      ['p'],
      html,
    );
  });

  it('a code span holds any backticks and shows them exactly', () => {
    assert.equal(codeSpan(''), '');
    for (const name of ['plain-name', 'a`b', '``x``', '`edge`', 'two\nlines']) {
      const html = md.renderInline(codeSpan(name));
      assert.match(html, /^<code>[^]*<\/code>$/, html);
      assert.equal(shown(html).text, name.replace(/\n/g, ' '));
    }
  });

  it('command-link arguments are fully percent-encoded (no parenthesis can end the link)', () => {
    const encoded = encodeLinkArgs(['LL101', "a)(b'!*"]);
    assert.doesNotMatch(encoded, /[()'!*"[\]]/);
    assert.deepEqual(JSON.parse(decodeURIComponent(encoded)), ['LL101', "a)(b'!*"]);
  });

  it('a hostile explanation and name in a hover leave exactly one link: the documentation command', () => {
    const finding: Finding = {
      rule: 'LL101',
      name: 'x` [y](command:evil) `',
      severity: 'error',
      message: 'unused',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      docs: 'docs/rules/LL101.md',
      explanation: `${HOSTILE[0]} ${HOSTILE[1]} ${HOSTILE[3]}`,
    };
    const html = md.render(hoverMarkdown([finding], RULES));
    const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(links, ['command:seglens.lint.showRuleDocs?%5B%22LL101%22%5D']);
    assert.doesNotMatch(html, /<img|<script/i);
    assert.ok(html.includes('<code>x` [y](command:evil) `</code>'), html);
  });
});
