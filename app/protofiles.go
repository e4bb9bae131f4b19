package app

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// gogoproto builds each file's descriptor when its Go file initializes, in
// file-name order, resolving imports against what is registered so far: a
// message imported from a later file of the same package (state.proto from
// query.proto) becomes an empty placeholder, and google.protobuf types come
// from gogo's copies rather than the ones the protobuf runtime uses. The
// interface registry and autocli work from descriptors, so the CLI printed
// those messages as {} and could not set a Duration flag. protoFiles rebuilds
// this project's files after init, in import order, resolving the standard
// files from the protobuf runtime first.
var protoFiles = sync.OnceValues(buildProtoFiles)

// ownProtoPrefix selects the files rebuilt: this project's.
const ownProtoPrefix = "statuscollect/"

func buildProtoFiles() (gogoproto.Resolver, error) {
	ours := new(protoregistry.Files)
	res := layeredResolver{protoregistry.GlobalFiles, ours, gogoproto.GogoResolver}
	all := gogoproto.AllFileDescriptors()

	var build func(path string) error
	build = func(path string) error {
		if _, err := ours.FindFileByPath(path); err == nil {
			return nil
		}
		fdp, err := decodeFileDescriptor(all[path])
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for _, dep := range fdp.GetDependency() {
			if strings.HasPrefix(dep, ownProtoPrefix) {
				if err := build(dep); err != nil {
					return err
				}
			}
		}
		fd, err := protodesc.NewFile(fdp, res)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return ours.RegisterFile(fd)
	}

	paths := make([]string, 0, len(all))
	for path := range all {
		if strings.HasPrefix(path, ownProtoPrefix) {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	for _, path := range paths {
		if err := build(path); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func decodeFileDescriptor(gz []byte) (*descriptorpb.FileDescriptorProto, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	fdp := new(descriptorpb.FileDescriptorProto)
	return fdp, proto.Unmarshal(raw, fdp)
}

// layeredResolver looks in each resolver in turn: the protobuf runtime's
// files, this project's rebuilt files, then gogoproto's.
type layeredResolver []interface {
	protodesc.Resolver
	RangeFiles(func(protoreflect.FileDescriptor) bool)
}

func (l layeredResolver) FindFileByPath(path string) (protoreflect.FileDescriptor, error) {
	for _, r := range l {
		if fd, err := r.FindFileByPath(path); err == nil {
			return fd, nil
		}
	}
	return nil, protoregistry.NotFound
}

func (l layeredResolver) FindDescriptorByName(name protoreflect.FullName) (protoreflect.Descriptor, error) {
	for _, r := range l {
		if d, err := r.FindDescriptorByName(name); err == nil {
			return d, nil
		}
	}
	return nil, protoregistry.NotFound
}

func (l layeredResolver) RangeFiles(f func(protoreflect.FileDescriptor) bool) {
	seen := map[string]bool{}
	for _, r := range l {
		cont := true
		r.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
			if seen[fd.Path()] {
				return true
			}
			seen[fd.Path()] = true
			cont = f(fd)
			return cont
		})
		if !cont {
			return
		}
	}
}
