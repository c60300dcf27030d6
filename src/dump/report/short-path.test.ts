import { describe, expect, it } from 'vitest';
import { shortPath } from './short-path.js';

describe('shortPath', () => {
  it('shows standard library files below their GOROOT', () => {
    expect(shortPath('/usr/lib/go-1.19/src/net/http/server.go', 'net/http.(*Server).Serve')).toBe('net/http/server.go');
    expect(shortPath('/usr/local/go/src/runtime/proc.go', 'runtime.gopark')).toBe('runtime/proc.go');
    // A GOROOT in no usual place: the package's directory still says where the file belongs.
    expect(shortPath('/home/me/go1.30/src/sync/mutex.go', 'sync.(*Mutex).Lock')).toBe('sync/mutex.go');
  });

  it('shows a package file as import path and name, whatever the checkout or module cache', () => {
    expect(shortPath('/home/ci/work/shop/cart/cart.go', 'shop/cart.(*Cart).Checkout.func1')).toBe('shop/cart/cart.go');
    expect(shortPath('/root/go/pkg/mod/github.com/gorilla/websocket@v1.5.0/conn.go', 'github.com/gorilla/websocket.(*Conn).NextReader')).toBe('github.com/gorilla/websocket/conn.go');
    expect(shortPath('/src/billing/api/server_test.go', 'billing/api_test.TestServe')).toBe('billing/api/server_test.go');
    expect(shortPath('C:\\work\\shop\\cart\\cart.go', 'shop/cart.Checkout')).toBe('shop/cart/cart.go');
  });

  it('keeps the last directory for package main and directories named unlike their package', () => {
    expect(shortPath('/srv/gopher/leaky/leaky/main.go', 'main.startLeaks.func1')).toBe('leaky/main.go');
    expect(shortPath('/src/app/internal/v2/api.go', 'example.com/app/internal/api.Serve')).toBe('v2/api.go');
  });

  it('leaves relative (-trimpath) and short paths alone', () => {
    expect(shortPath('net/http/server.go', 'net/http.(*conn).serve')).toBe('net/http/server.go');
    expect(shortPath('shop/main.go', 'main.main')).toBe('shop/main.go');
    expect(shortPath('/main.go', 'main.main')).toBe('/main.go');
  });
});
