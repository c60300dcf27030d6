//go:build go1.20

package fixtures

import (
	"context"
	"errors"
)

func inSwitch(parent context.Context, mode int) error {
	ctx, cancel := context.WithCancelCause(parent) // want "`cancel` from context.WithCancelCause is not called on every path: the return at line 14"
	switch mode {
	case 0:
		return nil
	case 1:
		cancel(errors.New("done"))
		return nil
	}
	defer cancel(nil)
	return work(ctx)
}

func returnedAsCause(parent context.Context) (context.Context, context.CancelCauseFunc, error) {
	ctx, cancel := context.WithCancelCause(parent)
	if err := work(ctx); err != nil {
		cancel(err)
		return nil, nil, err
	}
	return ctx, cancel, nil
}
