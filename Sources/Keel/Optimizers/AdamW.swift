/// Adam with decoupled weight decay (`keras.optimizers.AdamW`): the decay itself is the base
/// optimizer's; AdamW only makes it on by default (0.004) and mandatory.
open class AdamW: Adam {
    override open class var defaultWeightDecay: Double? { 0.004 }

}
