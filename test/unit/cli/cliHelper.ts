/** Runs `seglens` in process with a given working directory, capturing stdout, stderr and the exit code. */
import { CliIO } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';

export async function cli(
  argv: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
