export { FilterSyntaxError, parseFilter, parseFilterTemplate } from './parse.js';
export { combine, matchAll } from './combine.js';
export { filterCatalog, type FilterMessage, type FilterMessageKey } from './messages.js';
export {
  applyTransforms,
  fillValue,
  instantiate,
  parseTextTemplate,
  placeholdersOf,
  TemplateSyntaxError,
  TRANSFORMS,
  type FilterTemplate,
  type Placeholder,
  type PlaceholderValue,
  type Transform,
  type ValueTemplate,
} from './template.js';
