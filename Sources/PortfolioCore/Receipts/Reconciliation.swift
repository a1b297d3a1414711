import Foundation

/// What became of one record: received as submitted, received with other values, not received,
/// or received without having been submitted; and the two problems of a whole student.
public enum ReceiptStatus: String, Sendable, CaseIterable {
  case received, different, missing, unexpected
  /// In the receipt, not a student of the school (students.csv).
  case unknownStudent = "unknown-student"
  /// Submitted, but the receipt names the student nowhere.
  case studentAbsent = "student-absent"
}

/// One column whose received value differs from the submitted one.
struct ColumnDifference: Sendable, Equatable {
  var column: String
  var submitted: String
  var received: String
  /// An MD5 column: the central database holds other bytes than the school sent.
  var isFile: Bool { column.hasSuffix("MD5") }
}

struct RecordOutcome: Sendable {
  var person: PersonKey
  var kind: ReceiptKind
  var sheet: String
  var status: ReceiptStatus
  var identity: String
  var submitted: SheetRecord?
  var received: SheetRecord?
  var differences: [ColumnDifference] = []
}

/// The receipt compared with the rosters, record by record (docs/receipts.md §3).
struct Reconciliation: Sendable {
  var outcomes: [RecordOutcome] = []
  var unknownPeople: [PersonKey] = []
  var absentPeople: [PersonKey] = []
  /// Per sheet: columns the receipt has that the rosters do not (kept, listed, not compared).
  var extraColumns: [String: [String]] = [:]
  /// Per sheet: submitted columns no record of the receipt has (not compared).
  var uncompared: [String: [String]] = [:]
  /// Submitted books the receipt has no file for (not compared: no record is called missing).
  var kindsNotInReceipt: [ReceiptKind] = []

  var isClean: Bool {
    outcomes.allSatisfy { $0.status == .received } && unknownPeople.isEmpty && absentPeople.isEmpty
  }

  func count(_ status: ReceiptStatus) -> Int { outcomes.filter { $0.status == status }.count }

  static func compare(
    _ submitted: SubmittedRosters, _ documents: [ReceiptDocument], known: Set<PersonKey>
  ) -> Reconciliation {
    var result = Reconciliation()
    var receiptPeople = Set<PersonKey>()
    var submittedPeople = Set<PersonKey>()
    for document in documents.sorted(by: { ($0.kind, $0.term) < ($1.kind, $1.term) }) {
      let key = SubmittedRosters.Book(
        book: document.kind.book, term: document.kind.book.isPerTerm ? document.term : 0)
      let sheets = submitted.books[key] ?? [:]
      receiptPeople.formUnion(document.people)
      let names =
        (RosterLayout.sheetNames(of: document.kind.book) + sheets.keys.sorted()
        + Set(document.records.map(\.sheet)).sorted()).uniqued()
      for name in names {
        let sheet = sheets[name] ?? SubmittedRosters.Sheet(headers: [], records: [])
        let received = document.records.filter { $0.sheet == name }
        submittedPeople.formUnion(sheet.records.map(\.person))
        result.compare(sheet, received, kind: document.kind, sheet: name)
      }
    }
    let compared = Set(documents.map(\.kind))
    result.kindsNotInReceipt = Set(submitted.books.keys.map { ReceiptKind(book: $0.book) }).subtracting(compared)
      .sorted()
    result.unknownPeople = receiptPeople.subtracting(known).sorted()
    result.absentPeople = submittedPeople.subtracting(receiptPeople).sorted()
    return result
  }

  mutating func compare(
    _ sheet: SubmittedRosters.Sheet, _ received: [SheetRecord], kind: ReceiptKind, sheet name: String
  ) {
    let present = Set(received.flatMap(\.values.keys))
    let extra = present.subtracting(sheet.headers).sorted()
    if !extra.isEmpty, !sheet.headers.isEmpty { extraColumns[name] = extra }
    let compared = sheet.headers.filter(present.contains)
    let absent = sheet.headers.filter { !present.contains($0) }
    if !absent.isEmpty, !received.isEmpty { uncompared[name] = absent }
    var waiting: [PersonKey: [String: [Int]]] = [:]
    for (index, record) in received.enumerated() {
      waiting[record.person, default: [:]][ReceiptSheets.identity(of: record), default: []].append(index)
    }
    for record in sheet.records {
      let identity = ReceiptSheets.identity(of: record)
      guard let index = waiting[record.person]?[identity]?.first else {
        outcomes.append(
          RecordOutcome(
            person: record.person, kind: kind, sheet: name, status: .missing, identity: identity, submitted: record))
        continue
      }
      waiting[record.person]?[identity]?.removeFirst()
      let other = received[index]
      let differences = compared.compactMap { column -> ColumnDifference? in
        var (mine, theirs) = (record.values[column] ?? "", other.values[column] ?? "")
        if ReceiptSheets.linkColumns.contains(column) {
          (mine, theirs) = (ReceiptSheets.fileNames(mine), ReceiptSheets.fileNames(theirs))
        }
        return ReceiptValues.same(mine, theirs)
          ? nil
          : ColumnDifference(
            column: column, submitted: record.values[column] ?? "", received: other.values[column] ?? "")
      }
      outcomes.append(
        RecordOutcome(
          person: record.person, kind: kind, sheet: name, status: differences.isEmpty ? .received : .different,
          identity: identity, submitted: record, received: other, differences: differences))
    }
    let left = waiting.values.flatMap { $0.values.flatMap { $0 } }.sorted()
    for index in left {
      let record = received[index]
      outcomes.append(
        RecordOutcome(
          person: record.person, kind: kind, sheet: name, status: .unexpected,
          identity: ReceiptSheets.identity(of: record), received: record))
    }
  }
}

extension RosterLayout {
  /// The data sheets of a book, in the workbook's order.
  static func sheetNames(of book: RosterBook) -> [String] {
    switch book {
    case .grades: [gradesSheet]
    case .cadres: [cadresSheet]
    case .performances: performances.map(\.sheet)
    case .outcomes: [outcomesSheet]
    }
  }
}

extension Array where Element: Hashable {
  /// The elements in order, each once.
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}
