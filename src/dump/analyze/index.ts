// Public API of goroutine dump analysis.
export { analyzeDump, findIdleLeaks, type AnalyzeOptions, type DumpAnalysis } from './analyze.js';
export { benignReason, isMainGoroutine, NO_IGNORES, type IgnoreRules } from './benign.js';
export { IncomparableDumpsError, planComparison, type Comparison } from './compare.js';
export { diffDumps, sameProcess, DEFAULT_MAX_GROWTH_PERCENT, type DiffOptions, type DumpDiff, type GroupDelta } from './diff.js';
export { groupGoroutines, type GoroutineGroup, type GroupBy, type GroupOptions, type Suspect, type SuspectLevel } from './group.js';
export { dumpTakers, hasDumpWriterFrame, isDumpTaker, type IdleOptions } from './idle.js';
export { BLOCK_KINDS, blockedInName, classifyKind, normalizeState, syncWaitName, type BlockKind } from './kinds.js';
export { mergeDumps } from './merge.js';
export { InputGrouping, StreamingAnalysis } from './stream.js';
export { packageOf, type FrameRef } from './packages.js';
export { BUNDLED_GO_VERSIONS, bundledStdOf } from './std-list.js';
export { CodeFacts, isStdlibPackage, locationFrame, type CodeFactsOptions, type FrameFacts, type ToolchainStd } from './user-code.js';
export { DEFAULT_LARGE_GROUP, DEFAULT_MIN_WAIT_MINUTES, judgeGroup, rankGroups, type SuspectOptions } from './suspects.js';
