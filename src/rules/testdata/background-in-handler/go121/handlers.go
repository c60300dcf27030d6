// Go 1.21 has context.WithoutCancel: the detached context keeps the request's values.
package fixtures

import (
	"context"
	"log"
	"net/http"
)

func handleAudit(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go record(ctx, r.URL.Path)
	w.WriteHeader(http.StatusOK)
}

func handleReport(w http.ResponseWriter, r *http.Request) {
	record(context.TODO(), r.URL.Path) // want "`context.TODO\\(\\)` in HTTP handler `handleReport`"
}

func record(ctx context.Context, what string) { log.Println(what, ctx.Err()) }
