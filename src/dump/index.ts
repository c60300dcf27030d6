// The goroutine dump library: the data model and the parser. Grouping, classification and
// reports build on these.

export type { CreatedBy, Dump, DumpFormat, Frame, Goroutine, Section, Skipped } from './model.js';
export { LEAK_PROFILE_ORIGIN } from './model.js';
export { DumpParser, parseDump, parseDumpStream } from './parse/index.js';
