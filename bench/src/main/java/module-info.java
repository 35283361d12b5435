/** Lanes bench. */
module dev.lanes.bench {
    requires dev.lanes.training;
    requires dev.lanes.gradcheck;
}
