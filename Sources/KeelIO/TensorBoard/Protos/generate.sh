#!/bin/sh
# Regenerates ../Generated/*.pb.swift from these trimmed TensorBoard protos. Run by hand after
# editing a .proto (the build never runs it; the generated files are committed). Needs:
#   apt-get install protobuf-compiler
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
# and PROTOC_GEN_SWIFT pointing at the built plugin (default: the path above).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin=${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}
rm -f "$here"/../Generated/*.pb.swift
cd "$here"
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Internal --swift_opt=FileNaming=PathToUnderscores --swift_opt=UseAccessLevelOnImports=true \
  --swift_out=../Generated \
  tensorboard/compat/proto/*.proto tensorboard/plugins/hparams/*.proto
