/**
 * Lanes unsupervised: restricted Boltzmann machines (Bernoulli and Gaussian visible units,
 * contrastive divergence, persistent CD, Gibbs sampling, annealed importance sampling, exact
 * enumeration for small models).
 */
module dev.lanes.unsupervised {
    requires transitive dev.lanes.training;

    exports dev.lanes.unsupervised;
}
