// Whether a frame's file lies in a Go installation's sources ($GOROOT/src). The standard
// library's files are printed under their GOROOT, unless the binary was built with -trimpath:
// then "net/http/server.go" has the same shape as a file of a module named "shop"
// ("shop/main.go"), and only the package lists decide (see user-code.ts).

/**
 * Where Go installations usually live; the capture is the GOROOT. Each is a path a user's own
 * code does not take: a GOPATH (~/go/src) is deliberately not one of them.
 */
const GOROOT_SHAPES: readonly RegExp[] = [
  /^(\/usr\/local\/go)\/src\//, // go.dev archives, the golang Docker images
  /^(.*\/usr\/lib\/go(?:-[0-9][0-9.]*)?)\/src\//, // Debian/Ubuntu golang-1.NN-go, also unpacked (/opt/x/usr/lib/go-1.NN)
  /^(.*\/usr\/lib\/golang)\/src\//, // Fedora, RHEL
  /^(.*\/golang\.org\/toolchain@[^/]+)\/src\//, // GOTOOLCHAIN downloads in the module cache
  /^(.*\/sdk\/go[0-9][^/]*)\/src\//, // golang.org/dl wrappers: ~/sdk/go1.22.0
  /^(.*\/Cellar\/go\/[^/]+\/libexec)\/src\//, // Homebrew
  /^(.*\/hostedtoolcache\/go\/[^/]+\/[^/]+)\/src\//, // actions/setup-go
  /^([A-Za-z]:\/(?:Program Files\/)?Go)\/src\//, // the Windows installer (paths printed with /)
];

/** The GOROOT of a file in one of the usual Go installations, or null. */
export function usualGorootOf(file: string): string | null {
  if (!file.includes('/src/')) return null;
  for (const shape of GOROOT_SHAPES) {
    const m = shape.exec(file);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * The GOROOT a runtime file reveals: "/home/me/sdk/go/src/runtime/proc.go" -> "/home/me/sdk/go".
 * Only for frames already known to be in the standard library (a user package cannot be
 * "runtime"), so that a project kept under ".../src/runtime/" teaches nothing. Relative files
 * (-trimpath, Bazel) reveal nothing.
 */
export function gorootOfRuntimeFile(file: string): string | null {
  const at = file.lastIndexOf('/src/runtime/');
  if (at <= 0) return null;
  const root = file.slice(0, at);
  return root.startsWith('/') || /^[A-Za-z]:\//.test(root) ? root : null;
}
