package app

import (
	"strings"
	"testing"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-proto/anyutil"

	"cosmossdk.io/log"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	collectortypes "github.com/statuscollect/statuscollect/x/statuscollect/collector/types"
	shared "github.com/statuscollect/statuscollect/x/statuscollect/types"
)

// ownProtoPrefix selects this project's proto files.
const ownProtoPrefix = "statuscollect/"

// ownMessages calls f with every message of this project's proto files, as
// the interface registry and autocli resolve them.
func ownMessages(f func(protoreflect.MessageDescriptor)) {
	gogoproto.HybridResolver.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(fd.Path(), ownProtoPrefix) {
			msgs := fd.Messages()
			for i := range msgs.Len() {
				f(msgs.Get(i))
			}
		}
		return true
	})
}

// TestProtoFilesHaveNoPlaceholders walks every message of this project's
// proto files as the interface registry and autocli see them: each message
// field must resolve to the real message (not an empty placeholder, as
// gogoproto's own descriptors had for a message of a later file of the same
// package, which the CLI printed as {}), and well-known types to the protobuf
// runtime's own descriptors (or a Duration flag could not be set).
func TestProtoFilesHaveNoPlaceholders(t *testing.T) {
	wellKnown := map[protoreflect.FullName]protoreflect.MessageDescriptor{
		"google.protobuf.Duration":  (&durationpb.Duration{}).ProtoReflect().Descriptor(),
		"google.protobuf.Timestamp": (&timestamppb.Timestamp{}).ProtoReflect().Descriptor(),
	}
	checked := 0
	ownMessages(func(md protoreflect.MessageDescriptor) {
		fields := md.Fields()
		for i := range fields.Len() {
			f := fields.Get(i)
			if f.Kind() != protoreflect.MessageKind {
				continue
			}
			m := f.Message()
			require.False(t, m.IsPlaceholder(), "%s: %s is a placeholder", f.FullName(), m.FullName())
			if want, ok := wellKnown[m.FullName()]; ok {
				require.True(t, m == want, "%s: %s is not the runtime's descriptor", f.FullName(), m.FullName())
			}
			checked++
		}
	})
	require.Greater(t, checked, 50)

	d, err := gogoproto.HybridResolver.FindDescriptorByName("statuscollect.collector.v1.QuerySubchainResponse")
	require.NoError(t, err)
	health := d.(protoreflect.MessageDescriptor).Fields().ByName("health").Message()
	require.Positive(t, health.Fields().ByName("subchain").Message().Fields().Len())
}

// TestMessagesDecodeThroughGeneratedTypes: every message of this project has
// a generated protobuf v2 type (protov2.go), and the codec's signer lookup,
// which decodes each message of every transaction, gets that type rather
// than a message decoded by reflection (dynamicpb), for every Msg the app
// routes.
func TestMessagesDecodeThroughGeneratedTypes(t *testing.T) {
	n := 0
	ownMessages(func(md protoreflect.MessageDescriptor) {
		mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
		require.NoError(t, err, "%s has no generated v2 type", md.FullName())
		_, dynamic := mt.New().Interface().(*dynamicpb.Message)
		require.False(t, dynamic, md.FullName())
		n++
	})
	require.Greater(t, n, 50)

	apps := map[string]*App{}
	for _, profile := range []Profile{MainChain, SubChain} {
		a := New(profile, log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
		apps[profile.AppName] = a
		routed := 0
		for _, url := range a.InterfaceRegistry().ListImplementations(sdk.MsgInterfaceProtoName) {
			if !strings.HasPrefix(url, "/statuscollect.") {
				continue
			}
			// As the codec's GetMsgAnySigners unpacks it.
			v2, err := anyutil.Unpack(&anypb.Any{TypeUrl: url}, a.InterfaceRegistry(), nil)
			require.NoError(t, err, url)
			_, dynamic := v2.(*dynamicpb.Message)
			require.False(t, dynamic, "%s is decoded by reflection", url)
			routed++
		}
		require.Positive(t, routed, profile.AppName)
	}

	// And a real report, signers found.
	a := apps[MainChain.AppName]
	reporter := sdk.AccAddress(make([]byte, 20))
	any, err := codectypes.NewAnyWithValue(&collectortypes.MsgSubmitStatus{Reporter: reporter.String(),
		Snapshot: shared.StatusSnapshot{ChainId: "subchain-a", Height: 10, Orgs: []string{"org-a"}}})
	require.NoError(t, err)
	signers, v2, err := a.AppCodec().GetMsgAnySigners(any)
	require.NoError(t, err)
	require.Equal(t, [][]byte{reporter}, signers)
	_, dynamic := v2.(*dynamicpb.Message)
	require.False(t, dynamic)
}
