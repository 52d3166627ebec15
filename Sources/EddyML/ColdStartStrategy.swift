/// What evaluation does with a test rating whose user or item the model never saw (Spark's
/// `coldStartStrategy`): `drop` leaves it out of the metrics, `nan` predicts NaN (so RMSE is NaN).
public enum ColdStartStrategy: String, Sendable, CaseIterable {
    case drop, nan
}
