/**
 * The volume readers behind one entry point: the format comes from the bytes (NIfTI's header magic, also inside a
 * gzip stream; NRRD's "NRRD000" line; a MetaImage key line), never from the name.
 */
import { InputError } from '../../../core/errors';
import { isMetaImage, readMetaImage } from './metaimage';
import { isNifti, readNifti } from './nifti';
import { isNrrd, readNrrd } from './nrrd';
import type { Volume, VolumeFormat, VolumeReadOptions } from './types';

/** The volume format of a file's bytes, or undefined when it is none of NIfTI, NRRD and MetaImage. */
export function volumeFormatOf(bytes: Uint8Array): VolumeFormat | undefined {
  if (isNrrd(bytes)) return 'nrrd';
  if (isMetaImage(bytes)) return 'metaimage';
  if (isNifti(bytes)) return 'nifti';
  return undefined;
}

/** File name endings of the volume formats (for pairing and file pickers; detection uses the bytes). */
export const VOLUME_EXTENSIONS = ['nii.gz', 'nii', 'seg.nrrd', 'nrrd', 'nhdr', 'mha', 'mhd'] as const;

/** Whether a file name ends like a volume (".nii.gz", ".seg.nrrd", ".mha", …). */
export function hasVolumeExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return VOLUME_EXTENSIONS.some((e) => lower.endsWith(`.${e}`));
}

/** Reads a NIfTI, NRRD or MetaImage volume; every problem is an InputError naming the file. */
export function readVolume(bytes: Uint8Array, o: VolumeReadOptions): Volume {
  if (bytes.length === 0) throw new InputError('the file is empty', o.source);
  switch (volumeFormatOf(bytes)) {
    case 'nifti':
      return readNifti(bytes, o);
    case 'nrrd':
      return readNrrd(bytes, o);
    case 'metaimage':
      return readMetaImage(bytes, o);
    default:
      throw new InputError('not a NIfTI, NRRD or MetaImage volume', o.source);
  }
}
