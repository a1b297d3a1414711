import Foundation
import TestSupport
import Testing

@testable import PortfolioCore

/// What identifies a build in the ledger: the linker's build ID, read from the ELF file.
@Suite struct ProgramIdentityTests {
  /// readelf (binutils, installed by .ci/run) is the independent witness.
  @Test func theBuildIDIsTheOneReadelfReads() throws {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let printed = String(decoding: try SystemTool.run("/usr/bin/readelf", ["-n", executable]).output, as: UTF8.self)
    let line = try #require(printed.split(separator: "\n").first { $0.contains("Build ID:") })
    let expected = String(try #require(line.split(separator: " ").last))
    #expect(expected.count == 40)
    #expect(ProgramIdentity.buildID(ofExecutableAt: executable) == expected)
    #expect(ProgramIdentity.executableHash() == expected)
    #expect(Ledger.programStamp.contains(" build \(expected.prefix(16)) "))
  }

  @Test func aFileThatIsNoELFHasNoBuildIDAndIsHashedInstead() throws {
    let path = Scratch.path("not-elf", suffix: ".txt")
    try Data("\u{7F}ELF but not really, just text".utf8).write(to: URL(fileURLWithPath: path))
    #expect(ProgramIdentity.buildID(ofExecutableAt: path) == nil)
    #expect(ProgramIdentity.buildID(ofExecutableAt: path + ".missing") == nil)
    #expect(
      FileSystem.sha256(ofFileAt: path)
        == (try SystemTool.digest("sha256sum", of: Data("\u{7F}ELF but not really, just text".utf8))))
  }

  @Test func notesAreWalkedToTheGNUBuildID() {
    func note(_ name: [UInt8], type: UInt32, _ descriptor: [UInt8]) -> [UInt8] {
      func word(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
      let padded = { (bytes: [UInt8]) in bytes + Array(repeating: 0, count: (4 - bytes.count % 4) % 4) }
      return word(name.count) + word(descriptor.count) + word(Int(type)) + padded(name) + padded(descriptor)
    }
    let gnu: [UInt8] = [0x47, 0x4E, 0x55, 0]
    let abiTag = note(gnu, type: 1, [0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])
    let property = note(gnu, type: 5, [1, 2, 3, 4, 5, 6, 7, 8])
    let other = note([0x47, 0x6F, 0], type: 3, [9, 9, 9])  // type 3, but not GNU's
    let id = note(gnu, type: 3, [0xDE, 0xAD, 0xBE, 0xEF, 0x01])
    #expect(ProgramIdentity.gnuBuildID(in: abiTag + property + other + id) == "deadbeef01")
    #expect(ProgramIdentity.gnuBuildID(in: abiTag + property + other) == nil)
    #expect(ProgramIdentity.gnuBuildID(in: Array((abiTag + id).dropLast(4))) == nil)  // cut into the ID
    #expect(ProgramIdentity.gnuBuildID(in: []) == nil)
  }
}
