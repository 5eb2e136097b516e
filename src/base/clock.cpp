#include "zprov/base/clock.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace zprov {

using namespace std::chrono;

sys_seconds now_utc() {
    return floor<seconds>(system_clock::now());
}

std::int64_t now_unix_ms() {
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso8601(sys_seconds t) {
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string utc_day(sys_seconds t) {
    return iso8601(t).substr(0, 10);
}

sys_seconds next_utc_midnight(sys_seconds t) {
    return floor<days>(t) + days{1};
}

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::optional<sys_seconds> make_time(int y, int mo, int d, int h, int mi, int s) {
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}
} // namespace

std::optional<sys_seconds> parse_iso8601(std::string_view t) {
    int y, mo, d, h, mi, s;
    if (!digits(t, 0, 4, y) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, mo) ||
        t[7] != '-' || !digits(t, 8, 2, d) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
        !digits(t, 11, 2, h) || t[13] != ':' || !digits(t, 14, 2, mi) || t[16] != ':' ||
        !digits(t, 17, 2, s))
        return std::nullopt;
    auto base = make_time(y, mo, d, h, mi, s);
    if (!base)
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < t.size() && t[pos] == '.') {
        ++pos;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9')
            ++pos;
    }
    if (pos == t.size())
        return std::nullopt; // no zone: ambiguous
    if ((t[pos] == 'Z' || t[pos] == 'z') && pos + 1 == t.size())
        return base;
    int oh, om;
    if ((t[pos] == '+' || t[pos] == '-') && pos + 6 == t.size() && digits(t, pos + 1, 2, oh) &&
        t[pos + 3] == ':' && digits(t, pos + 4, 2, om)) {
        auto offset = hours{oh} + minutes{om};
        return t[pos] == '+' ? *base - offset : *base + offset;
    }
    return std::nullopt;
}

std::optional<sys_seconds> parse_http_date(std::string_view t) {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    static constexpr std::array<std::string_view, 12> months{
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (t.size() != 29 || t[3] != ',' || t[4] != ' ' || t.substr(26) != "GMT")
        return std::nullopt;
    int d, y, h, mi, s;
    int mo = 0;
    for (std::size_t i = 0; i < months.size(); ++i)
        if (t.substr(8, 3) == months[i])
            mo = static_cast<int>(i) + 1;
    if (mo == 0 || !digits(t, 5, 2, d) || !digits(t, 12, 4, y) || !digits(t, 17, 2, h) ||
        t[19] != ':' || !digits(t, 20, 2, mi) || t[22] != ':' || !digits(t, 23, 2, s))
        return std::nullopt;
    return make_time(y, mo, d, h, mi, s);
}

std::string local_time_text(sys_seconds t) {
    std::time_t tt = system_clock::to_time_t(t);
    std::tm local{};
    localtime_r(&tt, &local);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &local);
    return buf;
}

} // namespace zprov
