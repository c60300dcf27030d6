package fixtures

import "sync"

// A bank moves money under the accounts lock and audits under the log lock, in opposite orders.
type Bank struct {
	accountsMu sync.Mutex
	logMu      sync.Mutex
	balances   map[string]int
	log        []string
}

func (b *Bank) Transfer(from, to string, n int) {
	b.accountsMu.Lock()
	defer b.accountsMu.Unlock()
	b.balances[from] -= n
	b.balances[to] += n
	b.logMu.Lock() // want "lock order inversion: this path takes `b.logMu` while holding `b.accountsMu`"
	b.log = append(b.log, from+"->"+to)
	b.logMu.Unlock()
}

func (b *Bank) Audit() int {
	b.logMu.Lock()
	defer b.logMu.Unlock()
	return b.total()
}

func (b *Bank) total() int {
	b.accountsMu.Lock()
	defer b.accountsMu.Unlock()
	sum := 0
	for _, v := range b.balances {
		sum += v
	}
	return sum
}

// A parent and its child lock each other in opposite orders.
type Tree struct {
	mu   sync.Mutex
	root *Node
	size int
}

type Node struct {
	mu     sync.Mutex
	parent *Tree
	name   string
}

func (t *Tree) Rename(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.root.setName(name) // want "lock order inversion: this path takes `t.root.mu` while holding `t.mu`, and `Detach` takes them the other way round"
}

func (n *Node) setName(name string) {
	n.mu.Lock()
	n.name = name
	n.mu.Unlock()
}

func (n *Node) Detach() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.parent.mu.Lock()
	n.parent.size--
	n.parent.mu.Unlock()
}
