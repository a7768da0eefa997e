export * from './citizen-id';
export * from './credit-code';
