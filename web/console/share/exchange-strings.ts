// Console strings for data requests, the exchange dashboard, grants and gateway usage (console.share.ex.*).
import type { BilingualTree } from '../../shared/i18n';

export const shareExchangeStrings: BilingualTree = {};
