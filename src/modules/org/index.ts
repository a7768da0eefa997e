// Organisations module (the city's tree of districts, departments, sub-units and enterprises).
export { OrgService, toOrg, ORG_KINDS, type Org, type OrgKind, type NewOrg } from './org.service';
export { orgRoutes, OrgSchema } from './org.routes';
export { loadCityFile, bureauCode, seedReferenceOrgs, seedDemoEnterprises, DEFAULT_CITY_FILE, type CityFile } from './org.seed';
