/// Type rules of Prometheus's `checkAST`, applied as each node is built.
extension ParserState {
    /// Builds a binary expression after checking operand types and modifiers.
    ///
    /// Like Prometheus, matching is dropped when a side is a scalar, and set operators always match
    /// many-to-many, so the stored tree is the one Prometheus would evaluate.
    @inline(never)
    func makeBinary(_ header: BinaryHeader, left: Parsed, right: Parsed) throws(PromQLError) -> Parsed {
        let op = header.op
        let returnBool = header.returnBool
        let matching = header.matching
        let at = header.offset
        let height = max(left.height, right.height) + 1
        if height > options.maxDepth { throw .tooDeep(limit: options.maxDepth, position: position(at)) }
        if returnBool && !op.isComparison {
            throw typeError("bool modifier can only be used on comparison operators", at: at)
        }
        if op.isComparison && !returnBool && left.type == .scalar && right.type == .scalar {
            throw typeError("comparisons between scalars must use BOOL modifier", at: at)
        }
        if matching.on {
            for label in matching.labels where matching.include.contains(where: { $0.utf8.elementsEqual(label.utf8) }) {
                throw typeError("label \(goQuote(label)) must not occur in ON and GROUP clause at once", at: at)
            }
        }
        if left.type != .scalar && left.type != .vector {
            throw typeError("binary expression must contain only scalar and instant vector types", at: left.expr.startOffset)
        }
        if right.type != .scalar && right.type != .vector {
            throw typeError("binary expression must contain only scalar and instant vector types", at: right.expr.startOffset)
        }
        var finalMatching: VectorMatching? = matching
        if left.type != .vector || right.type != .vector {
            if !matching.labels.isEmpty {
                throw typeError("vector matching only allowed between instant vectors", at: left.expr.startOffset)
            }
            if op.isSetOperator {
                throw typeError("set operator \(goQuote(op.rawValue)) not allowed in binary scalar expression",
                                at: left.expr.startOffset)
            }
            finalMatching = nil
        } else if op.isSetOperator {
            if matching.cardinality == .manyToOne || matching.cardinality == .oneToMany {
                throw typeError("no grouping allowed for \(goQuote(op.rawValue)) operation", at: left.expr.startOffset)
            }
            finalMatching?.cardinality = .manyToMany
        }
        let type: ValueType = left.type == .scalar && right.type == .scalar ? .scalar : .vector
        let node = BinaryExpr(op: op, lhs: left.expr, rhs: right.expr, returnBool: returnBool, matching: finalMatching)
        return Parsed(expr: .binary(node), height: height, type: type)
    }

    /// Arity and argument types against the function table.
    @inline(never)
    func checkCall(_ function: Function, args: [Parsed], at offset: Int) throws(PromQLError) {
        let declared = function.argumentTypes.count
        let name = goQuote(function.name)
        if function.variadic == 0 {
            if declared != args.count {
                throw typeError("expected \(declared) argument(s) in call to \(name), got \(args.count)", at: offset)
            }
        } else {
            let minimum = declared - 1
            if minimum > args.count {
                throw typeError("expected at least \(minimum) argument(s) in call to \(name), got \(args.count)", at: offset)
            }
            if function.variadic > 0, minimum + function.variadic < args.count {
                throw typeError("expected at most \(minimum + function.variadic) argument(s) in call to \(name), "
                    + "got \(args.count)", at: offset)
            }
        }
        for (position, arg) in args.enumerated() {
            var index = position
            if index >= declared {
                if function.variadic == 0 { break }
                index = declared - 1
            }
            guard index >= 0 else { break }
            let want = function.argumentTypes[index]
            if arg.type != want {
                throw typeError("expected type \(want.documentedName) in call to function \(name), got "
                    + arg.type.documentedName, at: arg.expr.startOffset)
            }
        }
    }

    @inline(never)
    func checkAggregation(_ op: AggregateOp, param: Parsed?, expr: Parsed) throws(PromQLError) {
        if expr.type != .vector {
            throw typeError("expected type instant vector in aggregation expression, got \(expr.type.documentedName)",
                            at: expr.expr.startOffset)
        }
        if let want = op.parameterType, let param, param.type != want {
            throw typeError("expected type \(want.documentedName) in aggregation parameter, got "
                + param.type.documentedName, at: param.expr.startOffset)
        }
    }
}
