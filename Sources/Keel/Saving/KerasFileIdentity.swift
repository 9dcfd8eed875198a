/// What Keel writes where Keras records who wrote a file: the Keras version whose format it
/// follows, and JAX as the backend (same float32, channels-last layouts as Keel).
enum KerasFileIdentity {
    static let kerasVersion = "3.15.1"
    static let backend = "jax"
}
