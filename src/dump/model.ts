// The data model of a parsed goroutine dump: plain objects, no behaviour, so that the parser,
// the grouping and classification, and the report formats only share these types.

/** Which kind of text or binary a section came from. */
export type DumpFormat =
  | 'traceback' // runtime.Stack, debug=2, panics, fatal errors, SIGQUIT, test timeouts
  | 'pprof-debug1' // /debug/pprof/goroutine?debug=1 (counts per stack)
  | 'pprof-proto'; // debug=0, gzipped protobuf

export interface Frame {
  /** Fully qualified function name as printed, e.g. "main.(*Server).loop[...]" or "net/http.(*conn).serve". */
  func: string;
  /** Import path of the function's package, e.g. "net/http", "main", "github.com/x/y". */
  package: string;
  file: string;
  line: number;
  /** The "+0x1d" offset, when printed. */
  offset: number | null;
  /** True when the runtime printed this frame as inlined (no offset, "...") or pprof says so. */
  inlined: boolean;
  /** The argument text between the parentheses, as printed ("0xc000010000, 0x1"); "" when absent. */
  args: string;
}

export interface CreatedBy {
  func: string;
  package: string;
  file: string;
  line: number;
  /** Go 1.21+: "created by X in goroutine N". */
  creatorId: number | null;
}

export interface Goroutine {
  /** null in formats without IDs (pprof debug=1 / debug=0). */
  id: number | null;
  /** The header's first state word(s) verbatim, e.g. "chan receive", "running", "select (no cases)". */
  state: string;
  /** The wait reason when the state is "waiting" style; equal to state in traceback text. */
  waitReason: string;
  /** Minutes from ", N minutes" in the header; null when absent. */
  waitMinutes: number | null;
  lockedToThread: boolean;
  /** Marked "(leaked)" by the goroutineleak profile / runtime. */
  leaked: boolean;
  /** Go 1.25+ synctest: "durable" marker in the header. */
  durable: boolean;
  /** synctest bubble / group id when printed. */
  bubble: number | null;
  /**
   * pprof labels (from the header, the "# labels:" line of debug=1, or the proto). Goroutines
   * whose headers print the same labels share one object, as goroutines share frames: read only.
   */
  labels: Record<string, string>;
  frames: Frame[];
  /** Frames the runtime elided: "...additional frames elided..." or "...N frames elided...". */
  elidedFrames: number | null;
  createdBy: CreatedBy | null;
  /** IDs of ancestor goroutines from GODEBUG=tracebackancestors ("[originating from goroutine N]"). */
  ancestors: number[];
  /** How many identical goroutines this record stands for: 1 in traceback text, N in debug=1/debug=0. */
  count: number;
  /** 1-based line of the header in the input (0 for binary input). */
  line: number;
  /** Index into Dump.sections. */
  section: number;
}

/**
 * Section.origin of a goroutineleak profile in pprof form (debug=1 or debug=0): it lists only the
 * goroutines the runtime found leaked, not every goroutine (`diff` must know).
 */
export const LEAK_PROFILE_ORIGIN = 'goroutineleak profile';

export interface Section {
  format: DumpFormat;
  /** Number of goroutines the section holds (sum of counts). */
  goroutines: number;
  /** Where the section starts in the input (1-based line; 0 for binary). */
  line: number;
  /** debug=1 "goroutine profile: total N" header value, when present. */
  declaredTotal: number | null;
  /**
   * A short description of what produced it when recognisable ("panic", "fatal error: ...", "test
   * timeout", LEAK_PROFILE_ORIGIN).
   */
  origin: string | null;
}

export interface Skipped {
  line: number;
  reason: string;
}

export interface Dump {
  /** Sum of `count` over all goroutines. */
  total: number;
  goroutines: Goroutine[];
  sections: Section[];
  skipped: Skipped[];
}
