#include "zprov/sheet/csv_input.hpp"

#include "zprov/sheet/csv_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace zprov::detail {

void input_problems::report(unsigned line, const std::string& what) {
    std::lock_guard lock(mutex_);
    const unsigned known = line_.load();
    if (known != 0 && known <= line)
        return;
    what_ = what;
    line_.store(line);
}

std::optional<std::pair<unsigned, std::string>> input_problems::up_to(unsigned line) const {
    const unsigned known = line_.load();
    if (known == 0 || known > line)
        return std::nullopt;
    std::lock_guard lock(mutex_);
    return std::pair{line_.load(), what_};
}

namespace {

class file_source : public raw_input {
public:
    file_source(int fd, bool owned, std::string name)
        : fd_(fd), owned_(owned), name_(std::move(name)) {}
    ~file_source() override {
        if (owned_)
            ::close(fd_);
    }
    int read(char* buffer, int size) override {
        int total = 0;
        while (total < size) {
            auto n = ::read(fd_, buffer + total, static_cast<std::size_t>(size - total));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                fail();
            if (n == 0)
                break;
            total += static_cast<int>(n);
        }
        return total;
    }
    bool rereadable() const override {
        struct stat st {};
        return ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) &&
               ::lseek(fd_, 0, SEEK_CUR) != static_cast<off_t>(-1);
    }
    void scan_rest(const std::function<bool(std::string_view)>& piece) override {
        std::vector<char> buffer(1 << 20);
        off_t at = ::lseek(fd_, 0, SEEK_CUR);
        for (;;) {
            auto n = ::pread(fd_, buffer.data(), buffer.size(), at);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                fail();
            if (n == 0 || !piece({buffer.data(), static_cast<std::size_t>(n)}))
                return;
            at += n;
        }
    }

private:
    [[noreturn]] void fail() const {
        throw csv_file_error(name_, 0, std::string("read failed: ") + std::strerror(errno));
    }
    int fd_;
    bool owned_;
    std::string name_;
};

class memory_source : public raw_input {
public:
    memory_source(std::string data, bool rereadable)
        : data_(std::move(data)), rereadable_(rereadable) {}
    int read(char* buffer, int size) override {
        auto n = std::min<std::size_t>(static_cast<std::size_t>(size), data_.size() - pos_);
        std::memcpy(buffer, data_.data() + pos_, n);
        pos_ += n;
        return static_cast<int>(n);
    }
    bool rereadable() const override { return rereadable_; }
    // In small pieces, so that tests reach the sequences split between pieces.
    void scan_rest(const std::function<bool(std::string_view)>& piece) override {
        constexpr std::size_t small = 5;
        for (std::size_t at = pos_; at < data_.size(); at += small)
            if (!piece(std::string_view(data_).substr(at, small)))
                return;
    }

private:
    std::string data_;
    std::size_t pos_ = 0;
    bool rereadable_;
};

// Hands the line reader the input as UTF-8, and notes the line of the first NUL byte in it:
// the line reader would end a line there and silently drop the rest.
class decoding_source : public io::ByteSourceBase {
public:
    decoding_source(std::unique_ptr<raw_input> raw, const csv_format& format, std::string name,
                    input_problems& problems, encoding_choice& chosen)
        : raw_(std::move(raw)), format_(format), name_(std::move(name)), problems_(problems),
          chosen_(chosen) {}

    int read(char* out, int size) override {
        int n = 0;
        if (!decided_)
            n = first_read(out, size);
        else if (decoder_)
            n = transcode(out, size);
        else
            n = raw_->read(out, size);
        watch_for_nul({out, static_cast<std::size_t>(n)});
        return n;
    }

private:
    static constexpr std::size_t refill_bytes = 1 << 20;
    static constexpr std::size_t slice_bytes = 1 << 16;

    int first_read(char* out, int size);
    void choose(std::string_view head, bool more);
    void choose_automatically(std::string_view head, bool more);
    // Where the input holds UTF-8 of two bytes or more (a sequence split between two of the
    // file's pieces is not seen: it only matters when there is no other).
    std::optional<std::uint64_t> first_utf8_sequence_in(std::string_view head, bool more);
    int transcode(char* out, int size);
    void refill();
    void note_problem();
    void watch_for_nul(std::string_view out);

    std::unique_ptr<raw_input> raw_;
    csv_format format_;
    std::string name_;
    input_problems& problems_;
    encoding_choice& chosen_;
    bool decided_ = false;
    std::optional<utf8_decoder> decoder_; // none: the input is UTF-8 already
    std::string pending_;                 // input not decoded yet
    std::size_t pending_at_ = 0;
    bool input_done_ = false, finished_ = false, problem_noted_ = false;
    std::string decoded_; // decoded, not handed out yet
    std::size_t decoded_at_ = 0;
    unsigned newlines_out_ = 0;
    bool nul_seen_ = false;
};

unsigned line_at(std::string_view text, std::size_t offset) {
    return static_cast<unsigned>(count_newlines(text.substr(0, offset))) + 1;
}

// The line of the byte at `offset` from the start of `head`, which the rest of `raw` follows.
unsigned line_at(std::string_view head, raw_input& raw, std::uint64_t offset) {
    if (offset < head.size())
        return line_at(head, static_cast<std::size_t>(offset));
    std::uint64_t newlines = count_newlines(head), at = head.size();
    raw.scan_rest([&](std::string_view piece) {
        const auto take =
            static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), offset - at));
        newlines += count_newlines(piece.substr(0, take));
        at += take;
        return at < offset;
    });
    return static_cast<unsigned>(newlines) + 1;
}

std::string asked_for(csv_encoding asked) {
    return ", not as the " + std::string(info_of(asked).title) + " asked for";
}

int decoding_source::first_read(char* out, int size) {
    const int n = raw_->read(out, size);
    const bool more = n == size; // a read is filled unless at the end
    const std::string_view head(out, static_cast<std::size_t>(n));
    choose(head, more);
    decided_ = true;
    if (!decoder_)
        return n; // the line reader drops a UTF-8 byte-order mark itself
    const auto skip = byte_order_mark_of(head).second;
    pending_.assign(head.substr(skip));
    input_done_ = !more;
    return transcode(out, size);
}

void decoding_source::choose(std::string_view head, bool more) {
    const auto asked = format_.encoding;
    const bool asked_other = asked != csv_encoding::automatic && asked != csv_encoding::utf16;
    switch (byte_order_mark_of(head).first) {
    case byte_order_mark::utf16le:
    case byte_order_mark::utf16be: {
        const bool little = byte_order_mark_of(head).first == byte_order_mark::utf16le;
        chosen_.encoding = csv_encoding::utf16;
        decoder_.emplace(little ? utf8_decoder::source::utf16le : utf8_decoder::source::utf16be);
        if (asked != csv_encoding::utf16)
            chosen_.notice = std::string("read as UTF-16 ") + (little ? "LE" : "BE") +
                             ", as its byte-order mark says (Excel's \"Unicode Text\")" +
                             (asked_other ? asked_for(asked) : "");
        return;
    }
    case byte_order_mark::utf8:
        chosen_.encoding = csv_encoding::utf8;
        if (asked != csv_encoding::automatic && asked != csv_encoding::utf8)
            chosen_.notice = "read as UTF-8, as its byte-order mark says" + asked_for(asked);
        return;
    case byte_order_mark::none:
        break;
    }
    chosen_.encoding = asked;
    switch (asked) {
    case csv_encoding::automatic:
        return choose_automatically(head, more);
    case csv_encoding::utf8:
        return;
    case csv_encoding::utf16:
        decoder_.emplace(utf8_decoder::source::utf16le);
        chosen_.notice = "read as UTF-16 LE, as Windows writes it: the file has no byte-order mark";
        return;
    case csv_encoding::cp1252:
        decoder_.emplace(utf8_decoder::source::cp1252);
        return;
    case csv_encoding::latin1:
        decoder_.emplace(utf8_decoder::source::latin1);
        return;
    }
}

// Valid UTF-8 is UTF-8; anything else is read as Windows-1252, which every byte but five is
// a character of. The whole input decides where it can be read twice; standard input or a
// pipe is decided by what the line reader's first read brought (32 MiB).
void decoding_source::choose_automatically(std::string_view head, bool more) {
    const auto window =
        format_.decide_within == 0 ? head.size() : std::min(format_.decide_within, head.size());
    utf8_checker utf8;
    bool whole = true; // whether the decision saw all of the input
    if (utf8.feed(head.substr(0, window)) && (window < head.size() || more)) {
        if (raw_->rereadable()) {
            if (utf8.feed(head.substr(window)) && more)
                raw_->scan_rest([&utf8](std::string_view piece) { return utf8.feed(piece); });
        } else {
            whole = false;
        }
    }
    if (!whole || utf8.finish()) {
        chosen_.encoding = csv_encoding::utf8;
        return;
    }
    const std::string not_utf8 = "line " + std::to_string(line_at(head, *raw_, utf8.bad_offset())) +
                                 " has " + byte_text(utf8.bad_byte()) + ", which is not UTF-8";
    // Partly UTF-8: read as Windows-1252, its UTF-8 names would reach Zoom garbled ("ZoÃ«").
    if (auto utf8_at = first_utf8_sequence_in(head, more)) {
        chosen_.encoding = csv_encoding::utf8;
        chosen_.notice = "read as UTF-8, though " + not_utf8 + ": line " +
                         std::to_string(line_at(head, *raw_, *utf8_at)) +
                         " is UTF-8, so the file mixes encodings and its rows that are not UTF-8 "
                         "are invalid (--encoding cp1252 reads all of it as Windows-1252)";
        return;
    }
    if (auto at = first_undefined_in_cp1252(head)) {
        throw csv_file_error(
            name_, line_at(head, *at),
            "the file is neither UTF-8 (" + not_utf8 + ") nor Windows-1252 (" +
                byte_text(static_cast<unsigned char>(head[*at])) +
                " is no character there): save the sheet as \"CSV UTF-8\", or name its "
                "encoding with --encoding");
    }
    chosen_.encoding = csv_encoding::cp1252;
    decoder_.emplace(utf8_decoder::source::cp1252);
    chosen_.notice =
        "read as Windows-1252, as Excel's \"CSV (Comma delimited)\" saves: " + not_utf8 +
        " (--encoding says otherwise)";
}

std::optional<std::uint64_t> decoding_source::first_utf8_sequence_in(std::string_view head,
                                                                     bool more) {
    if (auto at = first_utf8_sequence(head))
        return *at;
    if (!more || !raw_->rereadable())
        return std::nullopt;
    std::optional<std::uint64_t> found;
    std::uint64_t at = head.size();
    raw_->scan_rest([&](std::string_view piece) {
        if (auto in = first_utf8_sequence(piece))
            found = at + *in;
        at += piece.size();
        return !found;
    });
    return found;
}

int decoding_source::transcode(char* out, int size) {
    const auto wanted = static_cast<std::size_t>(size);
    std::size_t produced = 0;
    while (produced < wanted) {
        if (decoded_at_ < decoded_.size()) {
            const auto k = std::min(wanted - produced, decoded_.size() - decoded_at_);
            std::memcpy(out + produced, decoded_.data() + decoded_at_, k);
            produced += k;
            decoded_at_ += k;
            continue;
        }
        decoded_.clear();
        decoded_at_ = 0;
        if (pending_at_ < pending_.size()) {
            const auto k = std::min(slice_bytes, pending_.size() - pending_at_);
            decoder_->decode(std::string_view(pending_).substr(pending_at_, k), decoded_);
            pending_at_ += k;
        } else if (!input_done_) {
            refill();
        } else if (!finished_) {
            decoder_->finish(decoded_);
            finished_ = true;
        } else {
            break;
        }
        note_problem();
    }
    return static_cast<int>(produced);
}

void decoding_source::refill() {
    if (pending_.capacity() > 2 * refill_bytes) // the first read's block, done with
        std::string().swap(pending_);
    pending_.resize(refill_bytes);
    const int got = raw_->read(pending_.data(), static_cast<int>(refill_bytes));
    pending_.resize(static_cast<std::size_t>(got));
    pending_at_ = 0;
    input_done_ = static_cast<std::size_t>(got) < refill_bytes;
}

void decoding_source::note_problem() {
    if (problem_noted_ || !decoder_->first_problem())
        return;
    problem_noted_ = true;
    const auto& p = *decoder_->first_problem();
    problems_.report(p.line, p.what +
                                 ": save the sheet as \"CSV UTF-8\", or name its encoding with "
                                 "--encoding");
}

void decoding_source::watch_for_nul(std::string_view out) {
    if (nul_seen_)
        return;
    const auto nul = out.find('\0');
    newlines_out_ += static_cast<unsigned>(count_newlines(out.substr(0, nul)));
    if (nul == std::string_view::npos)
        return;
    nul_seen_ = true;
    problems_.report(newlines_out_ + 1,
                     "holds a NUL byte: this is not a text CSV file (save it as \"CSV UTF-8\"), or "
                     "it is UTF-16 without a byte-order mark (--encoding utf-16)");
}

} // namespace

std::unique_ptr<raw_input> file_input(int fd, bool owned, std::string name) {
    return std::make_unique<file_source>(fd, owned, std::move(name));
}

std::unique_ptr<raw_input> memory_input(std::string data, bool rereadable) {
    return std::make_unique<memory_source>(std::move(data), rereadable);
}

std::unique_ptr<io::ByteSourceBase> decoded_input(std::unique_ptr<raw_input> raw,
                                                  const csv_format& format, std::string name,
                                                  input_problems& problems,
                                                  encoding_choice& chosen) {
    return std::make_unique<decoding_source>(std::move(raw), format, std::move(name), problems,
                                             chosen);
}

} // namespace zprov::detail
