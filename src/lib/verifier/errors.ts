// The typed failure every decoder throws, naming the decoding step that failed, so a verifier (and
// `dq code verify`) can answer with the step's reason instead of an arbitrary exception.
import type { Reason } from './types';

/** The reasons a decoding step can fail with. */
export type DecodeStep = Extract<Reason, 'bad-prefix' | 'bad-base45' | 'bad-zlib' | 'bad-cbor' | 'bad-cose' | 'bad-claims' | 'bad-jws'>;

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly step: DecodeStep,
    message: string,
  ) {
    super(message);
  }
}
