/// Folds tasks' pending log-record counts into the service timelines and per-service first-log times.
///
/// `applyInOrder` is the definition: one `TimelineStore.update` and one `TaskLogTable.noteServiceLogged` per
/// count, in order. `apply` gives the same result with one update per service and minute instead of one per task
/// (with many tasks a minute's fold is thousands of counts over a few hundred services).
enum LogFold {
    /// One task's pending count with its resolved service (an id of the `ServiceInterner`).
    struct Count: Equatable {
        var key: Int32
        var minute: Int64
        var count: Int
        var first: Int64
    }

    /// What one service's counts add up to.
    private struct ServiceCounts {
        var name: Int32
        /// The last count's key naming a cluster (−1: none): the timeline's cluster after the updates.
        var clusterKey: Int32 = -1
        /// Head of the service's list of minutes in `minutes`.
        var minutes: Int32
        var lo: Int64
        var hi: Int64
        var first: Int64
    }

    /// The sum of one service's counts in one minute; `next` links the service's minutes (−1: end).
    private struct MinuteCount {
        var minute: Int64
        var count: Int
        var next: Int32
    }

    /// One update and one first-log note per count, in order.
    static func applyInOrder(
        _ counts: [Count], keys: ServiceInterner, timeline: inout TimelineStore, logs: inout TaskLogTable
    ) {
        for c in counts {
            let key = keys.keys[Int(c.key)]
            timeline.update(key, at: c.minute) { $0.logRecords += c.count }
            logs.noteServiceLogged(key.service, at: c.first)
        }
    }

    /// The result of `applyInOrder`, summing each service's counts per minute first.
    ///
    /// Sums are order-independent when no service is evicted (both stores stay within their caps) and no minute
    /// falls out of a timeline's retention window (`TimelineStore.beginLogRecords`); the cluster a timeline
    /// keeps is the last one named. A service failing the window test gets its counts in order; when a cap could
    /// be reached, everything does.
    static func apply(_ counts: [Count], keys: ServiceInterner, timeline: inout TimelineStore, logs: inout TaskLogTable) {
        var serviceOfName = [Int32](repeating: -1, count: keys.names.count)
        var services: [ServiceCounts] = []
        var minutes: [MinuteCount] = []
        for c in counts {
            let name = keys.nameOfKey[Int(c.key)]
            let names = keys.keys[Int(c.key)].cluster != nil
            let s = Int(serviceOfName[Int(name)])
            if s < 0 {
                serviceOfName[Int(name)] = Int32(services.count)
                services.append(ServiceCounts(
                    name: name, clusterKey: names ? c.key : -1, minutes: Int32(minutes.count), lo: c.minute, hi: c.minute,
                    first: c.first))
                minutes.append(MinuteCount(minute: c.minute, count: c.count, next: -1))
                continue
            }
            if names { services[s].clusterKey = c.key }
            services[s].lo = min(services[s].lo, c.minute)
            services[s].hi = max(services[s].hi, c.minute)
            services[s].first = min(services[s].first, c.first)
            // A service's counts fall in one or two minutes (the one closing and the next): a short list.
            var m = Int(services[s].minutes)
            while minutes[m].minute != c.minute, minutes[m].next >= 0 { m = Int(minutes[m].next) }
            if minutes[m].minute == c.minute {
                minutes[m].count += c.count
            } else {
                minutes[m].next = Int32(minutes.count)
                minutes.append(MinuteCount(minute: c.minute, count: c.count, next: -1))
            }
        }
        guard timeline.count + services.count <= TimelineStore.maxServices,
              logs.serviceFirstLog.count + services.count <= IdentityDirectory.maxServices
        else {
            applyInOrder(counts, keys: keys, timeline: &timeline, logs: &logs)
            return
        }
        for s in services {
            let name = keys.names[Int(s.name)]
            let key = ServiceKey(cluster: s.clusterKey < 0 ? nil : keys.keys[Int(s.clusterKey)].cluster, service: name)
            if let t = timeline.beginLogRecords(of: key, from: s.lo, through: s.hi) {
                var m = Int(s.minutes)
                while m >= 0 {
                    timeline.addLogRecords(minutes[m].count, at: minutes[m].minute, to: t)
                    m = Int(minutes[m].next)
                }
            } else {
                for c in counts where keys.nameOfKey[Int(c.key)] == s.name {
                    timeline.update(keys.keys[Int(c.key)], at: c.minute) { $0.logRecords += c.count }
                }
            }
            logs.noteServiceLogged(name, at: s.first)
        }
    }
}
