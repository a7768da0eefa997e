// Which scheme a scanned payload belongs to, by its prefix or shape.
import { CITY_CODE_PREFIX } from './city-code';
import { HC1_PREFIX } from './hc1';
import type { Scheme } from './types';

export function detectScheme(payload: string): Scheme | null {
  if (typeof payload !== 'string') return null;
  if (payload.startsWith(CITY_CODE_PREFIX)) return 'city';
  if (payload.startsWith(HC1_PREFIX)) return 'hc1';
  // SD-JWT (VC): <issuer JWT>~<disclosure>~...~[<key binding JWT>]
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+~/.test(payload)) return 'sd-jwt-vc';
  return null;
}
