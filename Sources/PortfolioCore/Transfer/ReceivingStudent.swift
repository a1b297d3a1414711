import Foundation

/// Why a transfer package matches no student of the receiving school.
struct ReceivingRefusal: Error {
  var finding: Finding
}

extension Importer {
  /// The receiving school's student a transfer package belongs to: the one with the package's
  /// ID number and birth date, whatever number the receiving school gave them. The sending
  /// school's number only matters when it names somebody else here (refused, never merged).
  static func receivingStudent(_ incoming: PackageManifest.StudentData, in roster: Roster, package name: String)
    -> Result<Student, ReceivingRefusal>
  {
    let id = incoming.idNumber.uppercased()
    let sameID = roster.students.values.filter { $0.idNumber.uppercased() == id }
      .sorted { $0.studentNumber < $1.studentNumber }
    let masked = PrivateData.maskIDNumber(incoming.idNumber)
    guard let local = sameID.first else {
      if let other = roster.students[incoming.studentNumber] {
        return .failure(
          ReceivingRefusal(
            finding: StudentMismatch.finding(
              package: name, number: other.studentNumber, local: PrivateData.maskIDNumber(other.idNumber),
              incoming: masked)))
      }
      return .failure(ReceivingRefusal(finding: UnknownStudent.notRegistered(package: name, idNumber: masked)))
    }
    guard sameID.count == 1 else {
      return .failure(
        ReceivingRefusal(
          finding: StudentMismatch.sameIDTwice(package: name, numbers: sameID.map(\.studentNumber), idNumber: masked)))
    }
    guard SchoolDates.isoDate(local.birthDate) == SchoolDates.isoDate(incoming.birthDate) else {
      return .failure(
        ReceivingRefusal(finding: StudentMismatch.birthDate(package: name, number: local.studentNumber)))
    }
    return .success(local)
  }
}
