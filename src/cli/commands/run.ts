/**
 * `seglens run --model M.onnx --input IMG [--config C.json] --output P.npy [--json]` (docs/architecture.md §4): runs an
 * ONNX segmentation model on one image and writes the probability map as float32 .npy [C, H, W] at the image's
 * size. Without --config the sidecar `<model>.seglens.json` is used when present, else every setting is inferred
 * from the model and the inferred choices are printed (stderr), so the user can write them down.
 */
import { isAbsolute, resolve } from 'node:path';
import { configToJson } from '../../core/model/config';
import { writeNpy } from '../../core/io/npy';
import { writeAtomically } from '../../node/fs/atomicWrite';
import { loadImageFile as loadModelImage } from '../../node/io/load';
import { ConfigChoice, ModelRunner } from '../../node/model/runner';
import { readConfigFile } from '../../node/model/sidecar';
import { flag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO } from '../command';
import { checkOutput } from '../outputs';

const USAGE = `Usage: seglens run --model M.onnx --input IMG [--config C.json] --output P.npy [--force] [--json]

Runs an ONNX segmentation model (CPU) on one image and writes its probability map as float32 .npy [C, H, W],
resized back to the image's size.

  --model M.onnx    the model
  --input IMG       PNG, JPEG, TIFF, BMP, WebP, NPY or NPZ image
  --config C.json   model config (docs/models.md); default: M.seglens.json next to the model if present,
                    else inferred from the model's inputs and outputs (printed on stderr)
  --output P.npy    where to write the map (written atomically; never over the model, image or config)
  --force           replace P.npy when it already exists (without it an existing file is left alone, exit 2)
  --json            print {"model","input","output","shape","classes","config","configSource","notes",
                    "inputDims","outputDims","timings"} on stdout

Exit codes: 0 written, 2 bad usage, unreadable input, or a model that fails (the message names the cause).`;

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run an ONNX segmentation model on an image, write the probability map (.npy)',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      values: ['model', 'input', 'config', 'output'],
      booleans: ['json', 'force'],
    });
    const at = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
    const model = at(requireFlag(args, 'model'));
    const input = at(requireFlag(args, 'input'));
    const output = at(requireFlag(args, 'output'));
    const configPath = flag(args, 'config');
    checkOutput(output, {
      inputs: [model, input, ...(configPath !== undefined ? [at(configPath)] : [])],
      force: args.booleans.has('force'),
      what: 'the probability map',
    });
    const choice: ConfigChoice = {};
    if (configPath !== undefined) {
      choice.config = await readConfigFile(at(configPath));
      choice.configSource = at(configPath);
    }
    const runner = new ModelRunner();
    try {
      const image = await loadModelImage(input);
      const result = await runner.run(model, image, input, choice);
      writeAtomically(
        output,
        writeNpy({ dtype: 'float32', shape: result.prob.shape, data: result.prob.data }),
        { what: 'the probability map' },
      );
      const t = result.timings;
      if (args.booleans.has('json')) {
        const json = {
          model,
          input,
          output,
          shape: result.prob.shape,
          classes: result.classes,
          config: configToJson(result.config),
          configSource: result.configSource ?? null,
          notes: result.notes,
          inputDims: result.inputDims,
          outputDims: result.outputDims,
          timings: t,
        };
        io.stdout(JSON.stringify(json, null, 2) + '\n');
      } else {
        for (const note of result.notes) io.stderr(`note: ${note}\n`);
        io.stdout(
          `${output}: float32 [${result.prob.shape.join(', ')}] (${result.classes.join(', ')}); ` +
            `preprocess ${t.preprocessMs.toFixed(1)} ms, run ${t.runMs.toFixed(1)} ms, ` +
            `postprocess ${t.postprocessMs.toFixed(1)} ms\n`,
        );
      }
      return 0;
    } finally {
      await runner.dispose();
    }
  },
};
