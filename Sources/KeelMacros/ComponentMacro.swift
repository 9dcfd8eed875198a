import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@Component(.family)`: adds one convenience initialiser to a class, built from the `@Hyper`
/// properties declared in the class's own body (see `ComponentMacro.swift` and `Hyper.swift` in
/// the Keel target). It works on syntax only: the parameter types come from the properties' type
/// annotations, or from a literal default (`= 0.9` is a Double) when there is none.
public struct ComponentMacro: MemberMacro {
    public static func expansion(
        of node: AttributeSyntax,
        providingMembersOf declaration: some DeclGroupSyntax,
        conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let classDecl = declaration.as(ClassDeclSyntax.self) else {
            context.diagnose(Diagnostic(node: node, message: ComponentDiagnostic.notAClass(kind: declarationKind(declaration))))
            return []
        }
        guard let family = family(of: node, in: context) else { return [] }

        var own: [Parameter] = []
        var failed = false
        for member in classDecl.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self), isHyper(variable) else { continue }
            guard variable.bindingSpecifier.tokenKind == .keyword(.var),
                  !variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class) })
            else { continue }
            if variable.bindings.count != 1 {
                context.diagnose(Diagnostic(node: variable, message: ComponentDiagnostic.severalBindings))
                failed = true
                continue
            }
            let binding = variable.bindings.first!
            guard let pattern = binding.pattern.as(IdentifierPatternSyntax.self) else {
                context.diagnose(Diagnostic(node: binding.pattern, message: ComponentDiagnostic.notAName))
                failed = true
                continue
            }
            let name = pattern.identifier.trimmedDescription
            let defaultValue = binding.initializer?.value
            let type: String
            if let annotation = binding.typeAnnotation {
                type = annotation.type.trimmedDescription
            } else if let defaultValue, let inferred = literalType(of: defaultValue) {
                type = inferred
            } else {
                let message: ComponentDiagnostic
                if let defaultValue {
                    message = defaultValue.is(NilLiteralExprSyntax.self)
                        ? .nilWithoutType(property: name)
                        : .needsTypeAnnotation(property: name, defaultValue: defaultValue.trimmedDescription)
                } else {
                    message = .noTypeNoDefault(property: name)
                }
                context.diagnose(Diagnostic(node: binding, message: message))
                failed = true
                continue
            }
            own.append(Parameter(label: name, type: type, defaultValue: defaultValue?.trimmedDescription))
        }
        // No hyper-parameter of its own: the class inherits its superclass's initialisers, and a
        // generated one would clash with the inherited base initialiser.
        if failed || own.isEmpty { return [] }

        let ownLabels = Set(own.map(\.label))
        let parameters = family.leading.filter { !ownLabels.contains($0.label) } + own
            + family.trailing.filter { !ownLabels.contains($0.label) }
        var body = family.baseCall(ownLabels)
        body += own.map { "self.\($0.label) = \($0.label)" }
        body.append("self.didConfigure()")

        let access = accessModifier(of: classDecl)
        let decl: DeclSyntax = """
            \(raw: access)convenience init(\(raw: parameters.map(\.text).joined(separator: ", "))) {
            \(raw: body.map { "    " + $0 }.joined(separator: "\n"))
            }
            """
        return [decl]
    }

    // MARK: - Reading the declaration

    /// The family named by the attribute's one argument: `.layer` or `ComponentFamily.layer`.
    private static func family(of node: AttributeSyntax, in context: some MacroExpansionContext) -> Family? {
        guard case .argumentList(let arguments) = node.arguments, arguments.count == 1,
              let member = arguments.first?.expression.as(MemberAccessExprSyntax.self),
              let family = Family(name: member.declName.baseName.text)
        else {
            context.diagnose(Diagnostic(node: node, message: ComponentDiagnostic.badFamily))
            return nil
        }
        return family
    }

    /// Whether the property carries `@Hyper` (with or without arguments, `Keel.Hyper` too).
    private static func isHyper(_ variable: VariableDeclSyntax) -> Bool {
        variable.attributes.contains { element in
            guard case .attribute(let attribute) = element else { return false }
            if let identifier = attribute.attributeName.as(IdentifierTypeSyntax.self) {
                return identifier.name.text == "Hyper"
            }
            if let member = attribute.attributeName.as(MemberTypeSyntax.self) {
                return member.name.text == "Hyper"
            }
            return false
        }
    }

    /// The type Swift gives a literal default on its own: `3` Int, `0.9` Double, `true` Bool,
    /// `"x"` String (a leading `-` or `+` keeps the number's type). Nil for anything else.
    private static func literalType(of expression: ExprSyntax) -> String? {
        if expression.is(IntegerLiteralExprSyntax.self) { return "Int" }
        if expression.is(FloatLiteralExprSyntax.self) { return "Double" }
        if expression.is(BooleanLiteralExprSyntax.self) { return "Bool" }
        if expression.is(StringLiteralExprSyntax.self) { return "String" }
        if let prefix = expression.as(PrefixOperatorExprSyntax.self),
           ["-", "+"].contains(prefix.operator.text),
           prefix.expression.is(IntegerLiteralExprSyntax.self) || prefix.expression.is(FloatLiteralExprSyntax.self) {
            return literalType(of: prefix.expression)
        }
        return nil
    }

    /// `public` for a public or open class, none for an internal one; a private class's members
    /// are at most fileprivate (a `private` initialiser could only be called inside the class).
    private static func accessModifier(of classDecl: ClassDeclSyntax) -> String {
        for modifier in classDecl.modifiers {
            switch modifier.name.tokenKind {
            case .keyword(.public), .keyword(.open): return "public "
            case .keyword(.package): return "package "
            case .keyword(.fileprivate), .keyword(.private): return "fileprivate "
            default: continue
            }
        }
        return ""
    }

    private static func declarationKind(_ declaration: some DeclGroupSyntax) -> String {
        switch declaration.kind {
        case .structDecl: return "struct"
        case .enumDecl: return "enum"
        case .actorDecl: return "actor"
        case .protocolDecl: return "protocol"
        case .extensionDecl: return "extension"
        default: return "declaration"
        }
    }
}

/// One parameter of the generated initialiser.
struct Parameter {
    let label: String
    let type: String
    let defaultValue: String?

    var text: String { defaultValue.map { "\(label): \(type) = \($0)" } ?? "\(label): \(type)" }
}

/// The family base classes' designated initialisers, which the generated one calls.
enum Family {
    case layer, loss, metric, optimizer, plain

    init?(name: String) {
        switch name {
        case "layer": self = .layer
        case "loss": self = .loss
        case "metric": self = .metric
        case "optimizer": self = .optimizer
        case "plain": self = .plain
        default: return nil
        }
    }

    /// Base parameters before the class's own.
    var leading: [Parameter] {
        switch self {
        case .optimizer: return [Parameter(label: "learningRate", type: "LearningRate?", defaultValue: "nil")]
        case .layer, .loss, .metric, .plain: return []
        }
    }

    /// Base parameters after the class's own.
    var trailing: [Parameter] {
        switch self {
        case .optimizer:
            return ["weightDecay", "clipnorm", "clipvalue", "globalClipnorm", "lossScaleFactor"]
                .map { Parameter(label: $0, type: "Double?", defaultValue: "nil") }
                + [Parameter(label: "name", type: "String?", defaultValue: "nil")]
        case .layer:
            return [Parameter(label: "activityRegularizer", type: "Regularizer?", defaultValue: "nil"),
                    Parameter(label: "inputShape", type: "[Int?]?", defaultValue: "nil"),
                    Parameter(label: "name", type: "String?", defaultValue: "nil"),
                    Parameter(label: "trainable", type: "Bool", defaultValue: "true")]
        case .loss:
            return [Parameter(label: "reduction", type: "Reduction", defaultValue: ".sumOverBatchSize"),
                    Parameter(label: "name", type: "String?", defaultValue: "nil")]
        case .metric:
            return [Parameter(label: "name", type: "String?", defaultValue: "nil")]
        case .plain:
            return []
        }
    }

    /// The statements that run the base initialiser. `own`: the class's own hyper-parameter
    /// names (a base field the class redeclares is assigned with the others, not here).
    func baseCall(_ own: Set<String>) -> [String] {
        switch self {
        case .optimizer:
            return ["self.init(learningRate: learningRate, weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm, lossScaleFactor: lossScaleFactor, name: name)"]
        case .layer:
            return ["self.init(inputShape: inputShape, name: name, trainable: trainable)"]
                + (own.contains("activityRegularizer") ? [] : ["self.activityRegularizer = activityRegularizer"])
        case .loss:
            return ["self.init(reduction: reduction, name: name)"]
        case .metric:
            return ["self.init(name: name)"]
        case .plain:
            return ["self.init()"]
        }
    }
}

enum ComponentDiagnostic: DiagnosticMessage {
    case notAClass(kind: String)
    case badFamily
    case severalBindings
    case notAName
    case needsTypeAnnotation(property: String, defaultValue: String)
    case nilWithoutType(property: String)
    case noTypeNoDefault(property: String)

    var message: String {
        switch self {
        case .notAClass(let kind):
            return "@Component applies to a class (a Keel component), not to this \(kind)"
        case .badFamily:
            return "@Component needs one family: .layer, .loss, .metric, .optimizer or .plain"
        case .severalBindings:
            return "@Hyper declares one property per 'var': split this declaration"
        case .notAName:
            return "@Hyper needs a plain property name, not a pattern"
        case .needsTypeAnnotation(let property, let defaultValue):
            return "@Hyper property '\(property)' needs a type annotation: its default '\(defaultValue)' is not a literal, so @Component cannot tell the initialiser parameter's type (write 'var \(property): <Type> = \(defaultValue)')"
        case .nilWithoutType(let property):
            return "@Hyper property '\(property)' defaults to nil, so it needs an optional type annotation (write 'var \(property): <Type>? = nil')"
        case .noTypeNoDefault(let property):
            return "@Hyper property '\(property)' needs a type annotation (write 'var \(property): <Type>')"
        }
    }

    var diagnosticID: MessageID {
        let id: String
        switch self {
        case .notAClass: id = "notAClass"
        case .badFamily: id = "badFamily"
        case .severalBindings: id = "severalBindings"
        case .notAName: id = "notAName"
        case .needsTypeAnnotation: id = "needsTypeAnnotation"
        case .nilWithoutType: id = "nilWithoutType"
        case .noTypeNoDefault: id = "noTypeNoDefault"
        }
        return MessageID(domain: "KeelMacros", id: id)
    }

    var severity: DiagnosticSeverity { .error }
}
