extension PipelinePlan {
    /// Why a checkpoint's fingerprint is not this plan's, for the refusal message: the first part (source,
    /// schema, an output's stages, the validation) that differs, as the checkpoint has it and as the plan has.
    static func difference(saved: String, current: String) -> String {
        let old = saved.split(separator: ";", omittingEmptySubsequences: false)
        let new = current.split(separator: ";", omittingEmptySubsequences: false)
        func clip(_ s: Substring?) -> String {
            guard let s else { return "nothing" }
            return s.count > 240 ? "`\(s.prefix(240))…`" : "`\(s)`"
        }
        for i in 0..<max(old.count, new.count) {
            let a = i < old.count ? old[i] : nil
            let b = i < new.count ? new[i] : nil
            if a != b {
                return
                    "its operators or outputs differ: the checkpoint has \(clip(a)), this pipeline \(clip(b))"
            }
        }
        return "its operators or outputs differ"
    }
}
