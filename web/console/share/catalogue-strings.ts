// Console strings for the data catalogue, directory, datasets, quality and objections (console.share.cat.*).
import type { BilingualTree } from '../../shared/i18n';

export const shareCatalogueStrings: BilingualTree = {};
