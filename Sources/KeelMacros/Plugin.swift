import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin: the executable the compiler runs to expand Keel's macros.
@main
struct KeelMacrosPlugin: CompilerPlugin {
    let providingMacros: [Macro.Type] = [ComponentMacro.self]
}
