/**
 * `seglens run --model M.onnx --input IMG [--config C.json] --output P.npy [--json]` (docs/architecture.md §4): runs an
 * ONNX segmentation model on one image and writes the probability map as float32 .npy [C, H, W] at the image's
 * size; `--input DIR --output DIR` runs every image of a folder on one session (runFolder.ts). Without --config
 * the sidecar `<model>.seglens.json` is used when present, else every setting is inferred from the model and the
 * inferred choices are printed (stderr), so the user can write them down.
 */
import { statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../../core/errors';
import { configToJson } from '../../core/model/config';
import { writeNpy } from '../../core/io/npy';
import { writeAtomically } from '../../node/fs/atomicWrite';
import { DEFAULT_MAX_PIXELS, loadImageFile as loadModelImage } from '../../node/io/load';
import { ConfigChoice, ModelRunner } from '../../node/model/runner';
import { readConfigFile } from '../../node/model/sidecar';
import { flag, numberFlag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { checkOutput } from '../outputs';
import { FOLDER_IMAGE_EXTENSIONS, runOnFolder } from './runFolder';
import { hasVolumeExtension } from '../../node/io/volume/read';
import { runOnVolume } from './runVolume';

const USAGE = `Usage: seglens run --model M.onnx --input IMG --output P.npy [--config C.json] [--max-pixels N]
                   [--force] [--json]
       seglens run --model M.onnx --input DIR --output DIR [--config C.json] [--max-pixels N] [--force] [--json]
       seglens run --model M.onnx --input IMG.nii.gz --output PROB.nii.gz [--axis axial|coronal|sagittal]
                   [--window auto|LOW,HIGH] [--config C.json] [--force] [--json]

Runs an ONNX segmentation model (CPU) on one image and writes its probability map as float32 .npy [C, H, W],
resized back to the image's size. With a folder as --input, every image in it (${FOLDER_IMAGE_EXTENSIONS.join(', ')})
runs on one model session and gets DIR/<stem>.npy; progress goes to stderr, an image that fails is reported and
skipped, and the exit code is 1 if any failed. With a volume as --input (.nii, .nii.gz, .nrrd, .nhdr, .mha,
.mhd) and a NIfTI --output (or --axis), the 2-D model runs on every slice of one plane and the probability volume
[C, k, j, i] is written as a float32 NIfTI on the image's grid (docs/volumes.md, "Running a 2-D model on a
volume"); with a .npy --output a volume is one 2-D image, its middle slice in file order.

  --model M.onnx    the model
  --input IMG|DIR   PNG, JPEG, TIFF, BMP, WebP, NPY or NPZ image (EXIF orientation applied), or a folder of images
  --config C.json   model config (docs/models.md); default: the sidecar M.seglens.json (or M.onnx.seglens.json)
                    next to the model if present, else inferred from the model (the choices are printed on stderr)
  --output P.npy    where to write the map: a .npy file (a mask image comes from seglens decode --output mask.png),
                    or a folder for a folder --input; written atomically, never over the model, image or config
  --max-pixels N    refuse images with more than N pixels (default ${DEFAULT_MAX_PIXELS})
  --axis PLANE      volumes only: the plane whose slices are run, as the viewer names it (default axial); each
                    slice is fed as the viewer shows it in the radiological convention
  --window W        volumes only: "LOW,HIGH" maps that intensity window to an 8-bit picture (0…255), "auto" the
                    0.5th–99.5th percentile; default: 8/16-bit volumes as such, others as float values
  --force           replace existing maps (without it an existing file is left alone, exit 2)
  --json            print {"model","input","output","shape","classes","config","configSource","notes",
                    "inputDims","outputDims","timings"} on stdout; for a folder {"model","input","output","config",
                    "configSource","notes","total","written","failed","sessionLoads","files","timings"}; for a volume
                    {"model","input","output","axis","slices","shape","classes","intensity","config",
                    "configSource","notes","timings"}

Exit codes: 0 written, 1 some images of a folder failed, 2 bad usage, unreadable input, or a model that fails
(the message names the cause).`;

/** How the CLI user lifts the pixel limit (the VS Code setting's name means nothing here). */
const LIMIT_HINT = 'raise it with --max-pixels N';

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run an ONNX segmentation model on an image or a folder, write the probability maps (.npy)',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      values: ['model', 'input', 'config', 'output', 'max-pixels', 'axis', 'window'],
      booleans: ['json', 'force'],
    });
    const at = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
    const model = at(requireFlag(args, 'model'));
    const input = at(requireFlag(args, 'input'));
    const output = at(requireFlag(args, 'output'));
    const configPath = flag(args, 'config');
    const maxPixels = numberFlag(args, 'max-pixels');
    if (maxPixels !== undefined && !(Number.isInteger(maxPixels) && maxPixels > 0)) {
      throw new UsageError(`--max-pixels must be a positive integer, got ${maxPixels}`);
    }
    const choice: ConfigChoice = {};
    const readChoice = async () => {
      if (configPath !== undefined) {
        choice.config = await readConfigFile(at(configPath));
        choice.configSource = at(configPath);
      }
    };
    let inputIsDir = false;
    try {
      inputIsDir = statSync(input).isDirectory();
    } catch {
      // A missing input is reported by the loader, naming the file.
    }
    const axis = flag(args, 'axis');
    const window = flag(args, 'window');
    // A volume with a NIfTI output or a slicing flag runs slice by slice; a volume with a .npy output keeps the
    // 2-D path (its middle slice in file order, as before).
    const sliceBySlice = axis !== undefined || window !== undefined || /\.nii(\.gz)?$/i.test(output);
    if (!inputIsDir && hasVolumeExtension(input) && sliceBySlice) {
      if (maxPixels !== undefined) {
        throw new UsageError('--max-pixels is for images; a volume is checked against its voxel limit');
      }
      return runOnVolume(
        {
          model,
          input,
          output,
          axis,
          window,
          configPath: configPath !== undefined ? at(configPath) : undefined,
          readChoice: async () => {
            await readChoice();
            return choice;
          },
          force: args.booleans.has('force'),
          json: args.booleans.has('json'),
        },
        io,
      );
    }
    if (axis !== undefined || window !== undefined) {
      throw new UsageError(
        `--${axis !== undefined ? 'axis' : 'window'} is for a volume --input (.nii, .nii.gz, .nrrd, .mha, …)`,
      );
    }
    if (inputIsDir) {
      await readChoice();
      return runOnFolder(
        {
          model,
          inputDir: input,
          outputDir: output,
          configPath: configPath !== undefined ? at(configPath) : undefined,
          choice,
          force: args.booleans.has('force'),
          json: args.booleans.has('json'),
          maxPixels,
          limitHint: LIMIT_HINT,
        },
        io,
      );
    }
    const inputs = [model, input, ...(configPath !== undefined ? [at(configPath)] : [])];
    // An output naming an input is the worst mistake, so it is refused first, whatever its extension.
    checkOutput(output, { inputs, force: true, what: 'the probability map' });
    if (extname(output).toLowerCase() !== '.npy') {
      throw new InputError(
        'run writes a float32 probability map, which only a .npy file holds; name the output P.npy, and for a ' +
          'mask image run "seglens decode --input P.npy --decoder threshold --output mask.png"',
        output,
      );
    }
    checkOutput(output, { inputs, force: args.booleans.has('force'), what: 'the probability map' });
    await readChoice();
    const runner = new ModelRunner();
    try {
      const image = await loadModelImage(input, maxPixels ?? DEFAULT_MAX_PIXELS, { limitHint: LIMIT_HINT });
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
