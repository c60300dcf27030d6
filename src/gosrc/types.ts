// What kind of value a Go type holds, as far as goroutine lifetimes are concerned. This is not
// a type checker: it recognises the types the rules care about from their syntax and the file's
// imports, so `sync.WaitGroup` is a WaitGroup whatever the import's local name.
import type { SNode } from './ast.js';

export type ValueKind =
  | 'chan'
  | 'waitgroup'
  | 'mutex'
  | 'rwmutex'
  | 'cond'
  | 'context'
  | 'cancel'
  | 'ticker'
  | 'timer'
  | 'conn'
  | 'listener'
  | 'pipe-reader'
  | 'pipe-writer'
  | 'http-client'
  | 'http-server'
  | 'error'
  | 'func'
  | 'other';

export type ChanDir = 'both' | 'send' | 'recv';

export interface TypeRef {
  kind: ValueKind;
  /** The type's source text, e.g. "chan<- int", "*sync.WaitGroup". */
  text: string;
  pointer: boolean;
  /** For channels. */
  dir?: ChanDir;
  /** For channels: the element type's text. */
  elem?: string;
  /** For a named type of this package (type_identifier), its name, so struct fields can be looked up. */
  named?: string;
  /** Set on struct fields that are embedded. */
  embedded?: boolean;
}

export const OTHER: TypeRef = { kind: 'other', text: '', pointer: false };

interface ImportsHolder {
  imports: Map<string, string>;
}

/** Qualified standard-library types the rules know, by "importpath.Name". */
const QUALIFIED_KINDS: Record<string, ValueKind> = {
  'sync.WaitGroup': 'waitgroup',
  'sync.Mutex': 'mutex',
  'sync.RWMutex': 'rwmutex',
  'sync.Cond': 'cond',
  'sync.Locker': 'mutex',
  'context.Context': 'context',
  'context.CancelFunc': 'cancel',
  'context.CancelCauseFunc': 'cancel',
  'time.Ticker': 'ticker',
  'time.Timer': 'timer',
  'net.Conn': 'conn',
  'net.TCPConn': 'conn',
  'net.UDPConn': 'conn',
  'net.UnixConn': 'conn',
  'net.IPConn': 'conn',
  'net.PacketConn': 'conn',
  'tls.Conn': 'conn',
  'net.Listener': 'listener',
  'net.TCPListener': 'listener',
  'net.UnixListener': 'listener',
  'io.PipeReader': 'pipe-reader',
  'io.PipeWriter': 'pipe-writer',
  'http.Client': 'http-client',
  'http.Server': 'http-server',
};

/** Import path → the short package name used in QUALIFIED_KINDS. */
const KNOWN_PACKAGES: Record<string, string> = {
  sync: 'sync',
  context: 'context',
  time: 'time',
  net: 'net',
  io: 'io',
  'net/http': 'http',
  'crypto/tls': 'tls',
};

/** Resolves `pkgLocalName.Name` to a known kind, following the file's imports. */
export function qualifiedKind(pkgLocal: string, name: string, file: ImportsHolder): ValueKind | null {
  const importPath = file.imports.get(pkgLocal);
  if (!importPath) return null;
  const short = KNOWN_PACKAGES[importPath];
  if (!short) return null;
  return QUALIFIED_KINDS[`${short}.${name}`] ?? null;
}

/** The import path behind a local package name in a file, or null when it is not a package. */
export function importPathOf(local: string, file: ImportsHolder): string | null {
  return file.imports.get(local) ?? null;
}

export function classifyTypeNode(node: SNode, file: ImportsHolder): TypeRef {
  const text = node.text;
  switch (node.type) {
    case 'pointer_type': {
      const inner = node.namedChildren[0];
      return inner ? { ...classifyTypeNode(inner, file), text, pointer: true } : { ...OTHER, text };
    }
    case 'parenthesized_type': {
      const inner = node.namedChildren[0];
      return inner ? { ...classifyTypeNode(inner, file), text } : { ...OTHER, text };
    }
    case 'channel_type': {
      const compact = text.replace(/\s+/g, '');
      const dir: ChanDir = compact.startsWith('<-') ? 'recv' : compact.startsWith('chan<-') ? 'send' : 'both';
      return { kind: 'chan', text, pointer: false, dir, elem: node.child('value')?.text ?? '' };
    }
    case 'qualified_type': {
      const pkg = node.child('package')?.text ?? '';
      const name = node.child('name')?.text ?? '';
      return { kind: qualifiedKind(pkg, name, file) ?? 'other', text, pointer: false };
    }
    case 'type_identifier':
      if (text === 'error') return { kind: 'error', text, pointer: false };
      return { kind: 'other', text, pointer: false, named: text };
    case 'generic_type': {
      const base = node.child('type');
      return base ? { ...classifyTypeNode(base, file), text } : { ...OTHER, text };
    }
    case 'function_type':
      return { kind: 'func', text, pointer: false };
    default:
      return { kind: 'other', text, pointer: false };
  }
}
