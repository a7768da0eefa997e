// The service hall's catalogue (SVC): items with versions, zones, sub-halls, bundles, search, import/export.
export { CatalogueService, SVC, definitionOf, type Item, type ItemSummary, type ItemFilter, type NewItem, type SearchHit, type SearchPage } from './svc.service';
export { CatalogueFiles, CATALOGUE_COLUMNS, type ImportReport } from './svc.files';
export { svcRoutes } from './svc.routes';
export { seedCatalogue, itemIdsByName } from './svc.seed';
export { generateCatalogue, removeGeneratedCatalogue, REFERENCE_TOTAL } from './svc.generate';
export { validateFormDefinition, validateFormValues, FIELD_TYPES, type FormDefinition, type FormField, type FormCheck } from './form';
export { certificateTypes, validateMaterials, type Material } from './materials';
export * from './model';
// Its parts: applications (the workflow around an item) and the personal home page.
export * from './applications';
export * from './home';
