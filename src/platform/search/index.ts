// Full-text search shared by every module that searches Chinese text (service items, shared-data
// resources, credit records): unigram/bigram tsvector literals that work on PGlite and PostgreSQL alike.
export * from './tokenize';
