/// Generates a component's Swift initialiser from its `@Hyper` declarations (see Hyper.swift), so
/// a hyper-parameter is declared once, where its property is:
///
///     @Component(.optimizer)
///     open class Adam: Optimizer {
///         @Hyper("beta_1", .inRange(0...1)) public var beta1 = 0.9
///         @Hyper("amsgrad") public var amsgrad = false
///         ...
///     }
///
/// adds
///
///     public convenience init(learningRate: LearningRate? = nil, beta1: Double = 0.9,
///                             amsgrad: Bool = false, weightDecay: Double? = nil, ..., name: String? = nil)
///
/// whose parameters are the family's leading base parameters, the class's own `@Hyper` properties
/// in declaration order (the property's name, its type annotation or the type of its literal
/// default, and its initial value as the default; none for a required field), then the family's
/// trailing base parameters. Its body calls the family base's designated initialiser, sets each
/// own hyper-parameter and calls `didConfigure()`.
///
/// A class that declares no `@Hyper` property gets nothing (it inherits its superclass's
/// initialisers). A `@Hyper` property whose default is not a literal needs a type annotation.
/// The initialiser is `public` for a public or open class.
@attached(member, names: named(init))
public macro Component(_ family: ComponentFamily) = #externalMacro(module: "KeelMacros", type: "ComponentMacro")

/// Which base initialiser `@Component` calls, and so which base parameters its initialiser takes.
public enum ComponentFamily {
    /// `Layer`: trailing `activityRegularizer`, `name`, `trainable`.
    case layer
    /// `Loss`: trailing `reduction`, `name`.
    case loss
    /// `Metric`: trailing `name`.
    case metric
    /// `Optimizer`: leading `learningRate`; trailing `weightDecay`, `clipnorm`, `clipvalue`,
    /// `globalClipnorm`, `lossScaleFactor`, `name`.
    case optimizer
    /// Initializers, regularizers, constraints, schedules, callbacks: `self.init()`, no base parameters.
    case plain
}
