export * from './citizen-id';
export * from './credit-code';
export * from './masking';
export * from './iso7064';
export * from './licence-id';
