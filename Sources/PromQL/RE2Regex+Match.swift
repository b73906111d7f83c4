/// Compiled form of a ``RegexNode``: instructions for a Thompson-NFA simulation (Pike VM without
/// captures). Each input character is examined once per live state, so matching is O(text × program).
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        case literal(Unicode.Scalar, fold: Bool)
        case charClass(Int)
        case any(matchesNewline: Bool)
        case split(Int, Int)
        case jump(Int)
        case assertion(RegexAssertion)
        case match
    }

    var instructions: [Instruction]
    var classes: [CharClass]

    /// Runs the program over `text`, accepting only a match that spans all of it.
    func fullMatch(_ text: [Unicode.Scalar]) -> Bool {
        let count = instructions.count
        guard count > 0 else { return false }
        var current = SparseSet(capacity: count)
        var next = SparseSet(capacity: count)
        var stack: [Int] = []
        stack.reserveCapacity(16)
        addThread(0, at: 0, text: text, into: &current, stack: &stack)
        var position = 0
        while true {
            if current.isEmpty { return false }
            if position == text.count {
                return current.dense.contains { if case .match = instructions[$0] { true } else { false } }
            }
            let scalar = text[position]
            next.clear()
            for pc in current.dense {
                switch instructions[pc] {
                case .literal(let expected, let fold):
                    if scalar == expected || (fold && caseVariants(scalar).contains(expected.value)) {
                        addThread(pc + 1, at: position + 1, text: text, into: &next, stack: &stack)
                    }
                case .charClass(let index):
                    if classes[index].contains(scalar) {
                        addThread(pc + 1, at: position + 1, text: text, into: &next, stack: &stack)
                    }
                case .any(let matchesNewline):
                    if matchesNewline || scalar != "\n" {
                        addThread(pc + 1, at: position + 1, text: text, into: &next, stack: &stack)
                    }
                case .split, .jump, .assertion, .match:
                    break
                }
            }
            swap(&current, &next)
            position += 1
        }
    }

    /// Adds `pc` and everything reachable from it without consuming input (epsilon closure).
    private func addThread(_ pc: Int, at position: Int, text: [Unicode.Scalar], into set: inout SparseSet,
                           stack: inout [Int]) {
        stack.append(pc)
        while let top = stack.popLast() {
            guard top < instructions.count, !set.contains(top) else { continue }
            set.insert(top)
            switch instructions[top] {
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if holds(assertion, at: position, in: text) { stack.append(top + 1) }
            case .literal, .charClass, .any, .match:
                break
            }
        }
    }

    private func holds(_ assertion: RegexAssertion, at position: Int, in text: [Unicode.Scalar]) -> Bool {
        switch assertion {
        case .beginText: return position == 0
        case .endText: return position == text.count
        case .beginLine: return position == 0 || text[position - 1] == "\n"
        case .endLine: return position == text.count || text[position] == "\n"
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && isWordScalar(text[position - 1])
            let after = position < text.count && isWordScalar(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && isAlphaNumeric(UInt8(scalar.value))
    }
}

/// A set of small integers with O(1) insert, lookup and clear, iterated in insertion order.
struct SparseSet {
    private var sparse: [Int]
    private(set) var dense: [Int]

    init(capacity: Int) {
        sparse = Array(repeating: 0, count: capacity)
        dense = []
        dense.reserveCapacity(capacity)
    }

    var isEmpty: Bool { dense.isEmpty }

    func contains(_ value: Int) -> Bool {
        let index = sparse[value]
        return index < dense.count && dense[index] == value
    }

    mutating func insert(_ value: Int) {
        sparse[value] = dense.count
        dense.append(value)
    }

    mutating func clear() { dense.removeAll(keepingCapacity: true) }
}

/// Turns a ``RegexNode`` into a ``RegexProgram``, refusing programs larger than the limit.
enum RegexCompiler {
    static func compile(_ node: RegexNode) throws(RE2Regex.SyntaxError) -> RegexProgram {
        let size = estimatedSize(node)
        guard size + 1 <= RE2Regex.maxProgramSize else {
            throw RE2Regex.SyntaxError(message: "expression too large")
        }
        var program = RegexProgram(instructions: [], classes: [])
        program.instructions.reserveCapacity(size + 1)
        emit(node, into: &program)
        program.instructions.append(.match)
        return program
    }

    /// Instructions `emit` will produce, saturating instead of overflowing.
    static func estimatedSize(_ node: RegexNode) -> Int {
        let cap = RE2Regex.maxProgramSize * 2
        switch node {
        case .empty: return 0
        case .literal, .charClass, .anyChar, .assertion: return 1
        case .concat(let items):
            return min(cap, items.reduce(0) { min(cap, $0 + estimatedSize($1)) })
        case .alternate(let items):
            return min(cap, items.reduce(0) { min(cap, $0 + estimatedSize($1) + 2) })
        case .repetition(let inner, let minimum, let maximum):
            let innerSize = estimatedSize(inner)
            let copies = maximum == -1 ? minimum + 1 : maximum
            let (product, overflow) = (innerSize + 2).multipliedReportingOverflow(by: max(copies, 1))
            return overflow ? cap : min(cap, product)
        }
    }

    private static func emit(_ node: RegexNode, into program: inout RegexProgram) {
        switch node {
        case .empty:
            break
        case .literal(let scalar, let fold):
            program.instructions.append(.literal(scalar, fold: fold))
        case .charClass(let charClass):
            program.classes.append(charClass)
            program.instructions.append(.charClass(program.classes.count - 1))
        case .anyChar(let matchesNewline):
            program.instructions.append(.any(matchesNewline: matchesNewline))
        case .assertion(let assertion):
            program.instructions.append(.assertion(assertion))
        case .concat(let items):
            for item in items { emit(item, into: &program) }
        case .alternate(let items):
            // split L1, next; L1: a; jmp end; next: split L2, next2; … last; end:
            var jumps: [Int] = []
            for (index, item) in items.enumerated() {
                if index == items.count - 1 {
                    emit(item, into: &program)
                } else {
                    let split = program.instructions.count
                    program.instructions.append(.split(split + 1, 0))
                    emit(item, into: &program)
                    jumps.append(program.instructions.count)
                    program.instructions.append(.jump(0))
                    program.instructions[split] = .split(split + 1, program.instructions.count)
                }
            }
            let end = program.instructions.count
            for jump in jumps { program.instructions[jump] = .jump(end) }
        case .repetition(let inner, let minimum, let maximum):
            for _ in 0..<minimum { emit(inner, into: &program) }
            if maximum == -1 {
                // L: split body, end; body; jmp L; end:
                let split = program.instructions.count
                program.instructions.append(.split(split + 1, 0))
                emit(inner, into: &program)
                program.instructions.append(.jump(split))
                program.instructions[split] = .split(split + 1, program.instructions.count)
            } else if maximum > minimum {
                // (inner (inner (…)?)?)?
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(program.instructions.count)
                    program.instructions.append(.split(0, 0))
                    emit(inner, into: &program)
                }
                let end = program.instructions.count
                for split in splits { program.instructions[split] = .split(split + 1, end) }
            }
        }
    }
}
