package defercancel

import "context"

// Derive returns the derived context: cancelling it when Derive returns would hand out a
// context that is already done.
func Derive(parent context.Context, ok bool) (context.Context, error) {
	ctx, cancel := context.WithCancel(parent)
	if !ok {
		return nil, errEmpty
	}
	defer cancel()
	return ctx, nil
}

// Clash already uses the name cancel for something else.
func Clash(parent context.Context, cancel func(), lookup func(context.Context) error) error {
	ctx, _ := context.WithCancel(parent)
	defer cancel()
	return lookup(ctx)
}
