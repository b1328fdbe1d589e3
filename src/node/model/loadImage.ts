/** The model runner's image loader is the one loader's (src/node/io/load.ts); these names stay for its callers. */
export { DEFAULT_MAX_PIXELS, loadImageFile as loadModelImage } from '../io/load';
