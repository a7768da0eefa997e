// The personal home page (千人千面) and the life events it reads.
export { HomeService, type HomePage } from './home.service';
export { homeRoutes } from './home.routes';
export { HOME_RULES } from './rules';
export { LifeEventFacts, recordLifeEvent, seedDemoLifeEvents, LIFE_EVENTS } from './life-events';
