import Foundation
internal import SwiftProtobuf

/// A hyper-parameter value as TensorBoard's HParams plugin holds it.
public enum HParamValue: Equatable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
}

/// How a session (one run) ended, for the HParams dashboard's status column.
public enum HParamsSessionStatus: Sendable {
    case success, failure, running
}

/// The HParams plugin's records (`hparams_pb` of tensorboard.plugins.hparams.summary_v2): a
/// `_hparams_/session_start_info` summary in a run's root folder makes that folder a session
/// whose hyper-parameters the dashboard tabulates beside the metrics of its sub-runs (train/,
/// validation/). No experiment record is written: the plugin then gathers every session of the
/// logdir, so runs of several experiments under one `runs/` compare side by side.
extension EventFile {
    public func writeSessionStart(hparams: [String: HParamValue], groupName: String, startTime: Date = Date()) throws {
        var info = Tensorboard_Hparams_SessionStartInfo()
        for (key, value) in hparams {
            var protoValue = Google_Protobuf_Value()
            switch value {
            case .number(let number): protoValue.numberValue = number
            case .string(let text): protoValue.stringValue = text
            case .bool(let flag): protoValue.boolValue = flag
            }
            info.hparams[key] = protoValue
        }
        info.groupName = groupName
        info.startTimeSecs = startTime.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionStartInfo = info
        try writeHParams(tag: "_hparams_/session_start_info", data, wallTime: startTime)
    }

    public func writeSessionEnd(status: HParamsSessionStatus, endTime: Date = Date()) throws {
        var info = Tensorboard_Hparams_SessionEndInfo()
        switch status {
        case .success: info.status = .success
        case .failure: info.status = .failure
        case .running: info.status = .running
        }
        info.endTimeSecs = endTime.timeIntervalSince1970
        var data = Tensorboard_Hparams_HParamsPluginData()
        data.sessionEndInfo = info
        try writeHParams(tag: "_hparams_/session_end_info", data, wallTime: endTime)
    }

    private func writeHParams(tag: String, _ data: Tensorboard_Hparams_HParamsPluginData, wallTime: Date) throws {
        let content: Data
        do {
            content = try data.serializedBytes()
        } catch {
            throw KeelError("HParams record for \(path)", expected: "a message that serializes", found: "\(error)")
        }
        // The plugin's NULL_TENSOR: an empty float tensor; everything is in the metadata.
        try writeSummary(tag: tag, tensor: Self.tensor(.dtFloat, shape: [0]), plugin: "hparams", content: content,
                         step: 0, wallTime: wallTime)
    }
}
