package app

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// TestProtoFilesHaveNoPlaceholders walks every message of this project's
// proto files as the interface registry and autocli see them: each message
// field must resolve to the real message (not an empty placeholder), and
// well-known types to the protobuf runtime's own descriptors.
func TestProtoFilesHaveNoPlaceholders(t *testing.T) {
	files, err := protoFiles()
	require.NoError(t, err)
	wellKnown := map[protoreflect.FullName]protoreflect.MessageDescriptor{
		"google.protobuf.Duration":  (&durationpb.Duration{}).ProtoReflect().Descriptor(),
		"google.protobuf.Timestamp": (&timestamppb.Timestamp{}).ProtoReflect().Descriptor(),
	}
	checked := 0
	var walk func(md protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
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
	}
	files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(fd.Path(), ownProtoPrefix) {
			msgs := fd.Messages()
			for i := range msgs.Len() {
				walk(msgs.Get(i))
			}
		}
		return true
	})
	require.Greater(t, checked, 50)

	d, err := files.FindDescriptorByName("statuscollect.collector.v1.QuerySubchainResponse")
	require.NoError(t, err)
	health := d.(protoreflect.MessageDescriptor).Fields().ByName("health").Message()
	require.Positive(t, health.Fields().ByName("subchain").Message().Fields().Len())
}
