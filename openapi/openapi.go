// Package openapi serves the OpenAPI (Swagger 2.0) document of the
// statuscollect modules' REST routes. The document is generated from the
// protos by `make proto-gen` and embedded in the binaries, so every node
// describes the API it serves.
package openapi

import (
	_ "embed"
	"net/http"

	"github.com/gorilla/mux"
)

// Document is the OpenAPI document of both modules' queries.
//
//go:embed statuscollect.swagger.json
var Document []byte

// Path is where every node's REST server serves Document.
const Path = "/statuscollect/openapi.json"

// Register serves Document at Path and, when the node's Swagger page is on
// (api.swagger in app.toml), as the document that page shows, in place of
// the SDK's own modules' document.
func Register(r *mux.Router, swaggerPage bool) {
	serve := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(Document)
	}
	r.HandleFunc(Path, serve).Methods(http.MethodGet)
	if swaggerPage {
		// The SDK's page loads ./swagger.yaml; JSON is YAML too. Registered
		// before the page's own files, so it takes precedence.
		r.HandleFunc("/swagger/swagger.yaml", serve).Methods(http.MethodGet)
	}
}
