package openapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/stretchr/testify/require"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	gogoproto "github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/server"

	"github.com/statuscollect/statuscollect/openapi"
	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	reportertypes "github.com/statuscollect/statuscollect/x/statuscollect/reporter/types"
)

type document struct {
	Swagger string                                `json:"swagger"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

// TestDocumentCoversEveryRoute: every query method's REST route (its
// google.api.http rule) is in the document, with GET, and the document has
// no route the services lack. It fails when a proto changed and
// `make proto-gen` was not run.
func TestDocumentCoversEveryRoute(t *testing.T) {
	var doc document
	require.NoError(t, json.Unmarshal(openapi.Document, &doc))
	require.Equal(t, "2.0", doc.Swagger)
	want := map[string]bool{}
	for _, svc := range []string{collectortypes.QueryServiceName, reportertypes.QueryServiceName} {
		d, err := gogoproto.HybridResolver.FindDescriptorByName(protoreflect.FullName(svc))
		require.NoError(t, err)
		methods := d.(protoreflect.ServiceDescriptor).Methods()
		for i := range methods.Len() {
			rule, ok := proto.GetExtension(methods.Get(i).Options(), annotations.E_Http).(*annotations.HttpRule)
			require.True(t, ok && rule.GetGet() != "", "%s has no GET route", methods.Get(i).FullName())
			want[rule.GetGet()] = true
		}
	}
	for path := range want {
		ops, ok := doc.Paths[path]
		require.True(t, ok, "route %s is not in the document: run make proto-gen", path)
		require.Contains(t, ops, "get", path)
	}
	require.Len(t, doc.Paths, len(want), "the document has routes the services lack")
}

// TestServed: the document is served at its path, and as the node's
// Swagger page's document only when that page is on.
func TestServed(t *testing.T) {
	for _, page := range []bool{false, true} {
		r := mux.NewRouter()
		openapi.Register(r, page)
		require.NoError(t, server.RegisterSwaggerAPI(client.Context{}, r, page))
		get := func(path string) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			return rec
		}
		rec := get(openapi.Path)
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		require.Equal(t, openapi.Document, rec.Body.Bytes())

		rec = get("/swagger/swagger.yaml")
		if !page {
			require.Equal(t, http.StatusNotFound, rec.Code)
			continue
		}
		require.Equal(t, openapi.Document, rec.Body.Bytes(), "the Swagger page shows this API")
		page := get("/swagger/")
		require.Equal(t, http.StatusOK, page.Code)
		require.Regexp(t, regexp.MustCompile(`swagger\.yaml`), strings.ToLower(page.Body.String()))
	}
}
