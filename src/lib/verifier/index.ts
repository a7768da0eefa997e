// The offline verifier library (public entry point): decoders, trust store and verifiers for the city
// code (`CC1:`), EU DCC (`HC1:`) and the trust lists themselves. See docs/specs/city-code.md.
export * from './types';
