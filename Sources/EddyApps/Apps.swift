// The seed pipelines and their simulators live here, one per file (RetailPipeline.swift, MotionSimulator.swift, …).
import EddyStream
