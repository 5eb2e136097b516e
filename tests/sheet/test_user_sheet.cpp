#include "zprov/sheet/user_sheet.hpp"

#include "zprov/sheet/fields.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

using namespace zprov;

namespace {
user_sheet sheet_of(const std::string& text, sheet_options options = {},
                    const csv_format& format = {}) {
    return user_sheet(csv_source::from_memory("t.csv", text, format), std::move(options));
}

std::vector<sheet_row> rows_of(user_sheet& sheet) {
    std::vector<sheet_row> rows;
    sheet_row r;
    while (sheet.next(r))
        rows.push_back(r);
    return rows;
}

std::string header_error(const std::string& text, sheet_options options = {},
                         const csv_format& format = {}) {
    try {
        sheet_of(text, std::move(options), format);
    } catch (const csv_file_error& e) {
        return e.what();
    }
    return "no error";
}

std::size_t column(const user_sheet& s, field f) {
    return s.layout()[static_cast<std::size_t>(f)].value();
}
} // namespace

TEST_CASE("Zoom's web-import template works as is - its profile and group columns are read") {
    auto sheet =
        sheet_of("Email,First Name,Last Name,Department,Manager,User Group,Job Title,Location\n"
                 "ann@example.com,Ann,Lee,Sales,Bob,Staff,Rep,Berlin\n");
    CHECK(column(sheet, field::email) == 0);
    CHECK(column(sheet, field::first_name) == 1);
    CHECK(column(sheet, field::last_name) == 2);
    CHECK(column(sheet, field::dept) == 3);
    CHECK(column(sheet, field::manager) == 4);
    CHECK(column(sheet, field::group) == 5);
    CHECK(column(sheet, field::job_title) == 6);
    CHECK(column(sheet, field::location) == 7);
    CHECK(sheet.notices().empty());
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].valid());
    CHECK(rows[0].line == 2);
    CHECK(rows[0].user.first_name == "Ann");
    CHECK(rows[0].user.profile[profile_index(field::dept)] == "Sales");
    CHECK(rows[0].user.profile[profile_index(field::manager)] == "Bob");
    CHECK(rows[0].user.profile[profile_index(field::job_title)] == "Rep");
    CHECK(rows[0].user.profile[profile_index(field::location)] == "Berlin");
    CHECK(rows[0].user.group == "Staff");
    CHECK(rows[0].user.has_profile());
}

TEST_CASE("HR exports' profile column names are aliases, other columns are named once") {
    auto sheet = sheet_of("Email,Dept,Title,Office,Manager Email,Company,Cost Center,Badge\n"
                          "ann@example.com,Ops,CFO,Paris,bob@example.com,ACME,CC-12,77\n");
    CHECK(column(sheet, field::dept) == 1);
    CHECK(column(sheet, field::job_title) == 2);
    CHECK(column(sheet, field::location) == 3);
    CHECK(column(sheet, field::manager) == 4);
    CHECK(column(sheet, field::company) == 5);
    CHECK(column(sheet, field::cost_center) == 6);
    REQUIRE(sheet.notices().size() == 1);
    CHECK(sheet.notices()[0] == "ignoring columns the Zoom API does not take: \"Badge\"");
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].valid());
    CHECK(rows[0].user.profile[profile_index(field::cost_center)] == "CC-12");
    CHECK(rows[0].user.group.empty());
}

TEST_CASE("profile cells are checked for shape: lengths, control characters, the manager") {
    const std::string long_title(129, 'x');
    auto sheet = sheet_of("Email,Job Title,Manager,Location\n"
                          "a@example.com," +
                          long_title +
                          ",Bob Roe,Berlin\n"
                          "b@example.com,Rep,bob@@example.com,Berlin\n"
                          "c@example.com,Rep,bob@example.com,\"Tab\there\"\n"
                          "d@example.com," +
                          std::string(128, 'x') + ",Bob Roe," + std::string(256, 'y') + "\n");
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 4);
    REQUIRE(rows[0].errors.size() == 1);
    CHECK(rows[0].errors[0].field == "job_title");
    CHECK(rows[0].errors[0].reason == "longer than 128 characters");
    REQUIRE(rows[1].errors.size() == 1);
    CHECK(rows[1].errors[0].field == "manager");
    CHECK(rows[1].errors[0].reason.starts_with("not an email ("));
    REQUIRE(rows[2].errors.size() == 1);
    CHECK(rows[2].errors[0].field == "location");
    CHECK(rows[2].errors[0].reason == "contains a tab");
    CHECK(rows[3].valid());
}

TEST_CASE("header aliases match ignoring case, spaces, '_' and '-'") {
    auto sheet = sheet_of("E-MAIL ADDRESS,given_name,Family-Name,display name,License Type\n");
    CHECK(column(sheet, field::email) == 0);
    CHECK(column(sheet, field::first_name) == 1);
    CHECK(column(sheet, field::last_name) == 2);
    CHECK(column(sheet, field::display_name) == 3);
    CHECK(column(sheet, field::type) == 4);
    CHECK(sheet.notices().empty());
    for (auto h : {"Email", "Email Address", "E-mail", "Work Email", "work_email"})
        CHECK(column(sheet_of(std::string(h) + "\n"), field::email) == 0);
    for (auto h : {"Surname", "Last Name", "last_name", "Family Name"})
        CHECK(column(sheet_of(std::string("Email,") + h + "\n"), field::last_name) == 1);
    CHECK(column(sheet_of("Email,User Type\n"), field::type) == 1);
}

TEST_CASE("a config column map wins over aliases and can ignore a column") {
    sheet_options options;
    options.columns["Corporate Mail"] = field::email;
    options.columns["Email"] = std::nullopt; // a personal address, not the work one
    auto sheet = sheet_of("Email,corporate_mail,First Name\n"
                          "home@example.net,ann@example.com,Ann\n",
                          options);
    CHECK(column(sheet, field::email) == 1);
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].user.email == "ann@example.com");
}

TEST_CASE("header problems stop the file with exit 65 and name the line") {
    auto no_email = header_error("Name,Phone\nAnn,123\n");
    CHECK(no_email.find("t.csv: line 1: no email column") == 0);
    CHECK(no_email.find("\"Name\", \"Phone\"") != std::string::npos);
    CHECK(header_error("Email;Name\n", {}, {.delimiter = csv_delimiter::comma})
              .find("separated by ';': try --delimiter auto") != std::string::npos);
    CHECK(header_error("Email,Work Email\n")
              .find("columns \"Email\" and \"Work Email\" both give email") != std::string::npos);
    CHECK(header_error("\n,,\n") == "t.csv: the file holds only blank lines: no header");
}

TEST_CASE("rows: every validation rule, with line and field") {
    auto sheet = sheet_of("Email,First Name,Last Name,Type\r\n"
                          "ann@example.com,Ann,Lee,1\r\n" // 2 ok
                          "bad-email,Bob,Ray,1\r\n"       // 3 email
                          "cy@example.com," +
                          std::string(65, 'c') +
                          ",X,\r\n"                             // 4 first_name
                          "dee@example.com,Dee,Dee,Gold\r\n"    // 5 type
                          "eve@example.com,Eve,Eve,99\r\n"      // 6 type 99
                          "\"Ann@Example.com\",Ann,Again,1\r\n" // 7 duplicate
                          "fay@example.com,Fay\r\n"             // 8 too few cells
                          "gus@example.com,Gus,Lee, Jr,1\r\n"   // 9 too many cells
                          "hal@example.com,Hal,Ng,2,,\r\n");    // 10 trailing empties ok
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 9);
    CHECK(rows[0].valid());
    auto only = [](const sheet_row& r) {
        REQUIRE(r.errors.size() == 1);
        return r.errors[0];
    };
    CHECK(only(rows[1]).field == "email");
    CHECK(rows[1].line == 3);
    CHECK(only(rows[2]).field == "first_name");
    CHECK(only(rows[3]).field == "type");
    CHECK(only(rows[4]).reason.starts_with("99 (None) is deprecated"));
    CHECK(only(rows[5]).field == "email");
    CHECK(only(rows[5]).reason == "repeats Ann@Example.com from line 2");
    CHECK(rows[5].line == 7);
    CHECK(only(rows[6]).reason == "has 2 cells, the header has 4");
    CHECK(rows[7].errors.at(0).field == "row");
    CHECK(rows[7].errors.at(0).reason.find("unquoted ','") != std::string::npos);
    CHECK(rows[8].valid());
    CHECK(rows[8].user.type == 2);
}

TEST_CASE("password column: ignored with a notice unless autoCreate") {
    auto sheet = sheet_of("Email,Password\na@example.com,weak\n");
    REQUIRE(sheet.notices().size() == 1);
    CHECK(sheet.notices()[0].find("ignoring the password column") == 0);
    auto rows = rows_of(sheet);
    CHECK(rows.at(0).valid());
    CHECK(rows.at(0).user.password.empty());

    sheet_options options;
    options.rules.action = create_action::auto_create;
    auto auto_sheet =
        sheet_of("Email,Password\na@example.com,weak\nb@example.com,Secur3Pass\n", options);
    CHECK(auto_sheet.notices().empty());
    auto auto_rows = rows_of(auto_sheet);
    CHECK(auto_rows.at(0).errors.at(0).field == "password");
    CHECK(auto_rows.at(1).user.password == "Secur3Pass");
}

TEST_CASE("a quoted newline further down stops with the line number") {
    auto sheet = sheet_of("Email,Note\na@example.com,ok\nb@example.com,\"broken\nnote\"\n");
    sheet_row row;
    CHECK(sheet.next(row));
    try {
        sheet.next(row);
        FAIL("no error");
    } catch (const csv_file_error& e) {
        CHECK(std::string(e.what()).find("t.csv: line 3:") == 0);
    }
}

TEST_CASE("columns named like secrets are secret columns, with the password, others are not") {
    CHECK(names_a_secret("Temp Password"));
    CHECK(names_a_secret("Initial PIN"));
    CHECK(names_a_secret("initialPin"));
    CHECK(names_a_secret("Secret"));
    CHECK(names_a_secret("API Token"));
    CHECK(names_a_secret("pwd"));
    CHECK(names_a_secret("Meeting Passcode"));
    CHECK_FALSE(names_a_secret("Shipping Address"));
    CHECK_FALSE(names_a_secret("Pinyin Name"));
    CHECK_FALSE(names_a_secret("Department"));
    CHECK_FALSE(names_a_secret("Email"));

    auto sheet = sheet_of("Email,Password,Department,Temp Password,Initial PIN,Secret,Token\n"
                          "ann@example.com,pw1,Sales,tmp,1234,s,t\n");
    CHECK(sheet.secret_columns() == std::vector<std::size_t>{1, 3, 4, 5, 6});
}

TEST_CASE("HR exports: the name a person goes by wins, the legal one fills in where it is empty") {
    // As Workday exports: legal and preferred names, business and job-profile titles,
    // the supervisor by email and by name, a cost center's code and its name.
    auto sheet = sheet_of(
        "Primary Work Email,Legal First Name,Legal Last Name,Preferred First Name,"
        "Preferred Last Name,Business Title,Job Title,Supervisor,Supervisor Email,Cost Center,"
        "Cost Center Name,Work Location,Department Name\n"
        "ann@x.com,Annabel,Lee,Ann,,Head of Sales,Manager II,Bob Roe,bob@x.com,CC10,Sales,"
        "Berlin,Sales EMEA\n"
        "cy@x.com,Cyrus,Ng,,,,Engineer,Bob Roe,,CC20,,Paris,\n");
    CHECK(column(sheet, field::email) == 0);
    CHECK(column(sheet, field::first_name) == 3); // the first by rank
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].valid());
    CHECK(rows[0].user.first_name == "Ann");
    CHECK(rows[0].user.last_name == "Lee");
    CHECK(rows[0].user.profile[profile_index(field::job_title)] == "Head of Sales");
    CHECK(rows[0].user.profile[profile_index(field::manager)] == "bob@x.com");
    CHECK(rows[0].user.profile[profile_index(field::cost_center)] == "Sales");
    CHECK(rows[0].user.profile[profile_index(field::location)] == "Berlin");
    CHECK(rows[0].user.profile[profile_index(field::dept)] == "Sales EMEA");
    // Nothing is dropped: where the winning cell is empty, the next column's is taken.
    CHECK(rows[1].valid());
    CHECK(rows[1].user.first_name == "Cyrus");
    CHECK(rows[1].user.profile[profile_index(field::job_title)] == "Engineer");
    CHECK(rows[1].user.profile[profile_index(field::manager)] == "Bob Roe");
    CHECK(rows[1].user.profile[profile_index(field::cost_center)] == "CC20");
    // And the operator is told which columns each field comes from, in order.
    const auto& notices = sheet.notices();
    CHECK(std::find(notices.begin(), notices.end(),
                    "first_name from the first cell that is not empty of \"Preferred First "
                    "Name\", \"Legal First Name\"") != notices.end());
    CHECK(std::find(notices.begin(), notices.end(),
                    "manager from the first cell that is not empty of \"Supervisor Email\", "
                    "\"Supervisor\"") != notices.end());
}

TEST_CASE("HR exports: BambooHR's, ADP's and Personio's column names") {
    auto bamboo = sheet_of("Work Email,First Name,Preferred Name,Last Name,Job Title,"
                           "Department,Location,Reports To\n"
                           "ann@x.com,Annabel,Ann,Lee,Rep,Sales,Berlin,Bob Roe\n");
    auto rows = rows_of(bamboo);
    CHECK(rows.at(0).user.first_name == "Ann");
    CHECK(rows.at(0).user.profile[profile_index(field::manager)] == "Bob Roe");
    auto adp = sheet_of("Work Contact: Work Email,Legal First Name,Legal Last Name,"
                        "Job Title Description,Home Department Description,Location "
                        "Description,Reports To Name\n"
                        "ann@x.com,Ann,Lee,Rep,Sales,Berlin,Bob Roe\n");
    CHECK(column(adp, field::email) == 0);
    CHECK(column(adp, field::first_name) == 1);
    CHECK(column(adp, field::job_title) == 3);
    CHECK(column(adp, field::dept) == 4);
    CHECK(column(adp, field::location) == 5);
    CHECK(column(adp, field::manager) == 6);
    CHECK(adp.notices().empty());
    auto personio = sheet_of("Email;First name;Last name;Position;Office;Supervisor;Subcompany\n");
    CHECK(column(personio, field::job_title) == 3);
    CHECK(column(personio, field::location) == 4);
    CHECK(column(personio, field::company) == 6);
}

TEST_CASE("HR exports: columns of one rank for a field, or two emails, are ambiguous") {
    CHECK(header_error("Email,Manager,Supervisor\nann@x.com,Bob,Bob\n")
              .find("columns \"Manager\" and \"Supervisor\" both give manager") !=
          std::string::npos);
    CHECK(header_error("Work Email,Email Address\n").find("both give email") != std::string::npos);
    // "Manager" is the field's own name, and still comes after the manager's email.
    auto manager = sheet_of("Email,Manager,Manager Email\na@x.com,Bob Roe,bob@x.com\n");
    CHECK(column(manager, field::manager) == 2);
    CHECK(rows_of(manager).at(0).user.profile[profile_index(field::manager)] == "bob@x.com");
    sheet_options mapped;
    mapped.columns["Login"] = field::email;
    CHECK(header_error("Login,Email\n", mapped).find("both give email") != std::string::npos);
    // A mapped column ranks first; the alias column fills in where it is empty.
    sheet_options nick;
    nick.columns["Nick"] = field::first_name;
    auto sheet = sheet_of("Email,First Name,Nick\na@x.com,Annabel,Ann\nb@x.com,Bo,\n", nick);
    auto rows = rows_of(sheet);
    CHECK(rows.at(0).user.first_name == "Ann");
    CHECK(rows.at(1).user.first_name == "Bo");
}

TEST_CASE("the alias table: every spelling names one field only") {
    std::map<std::string, std::string> seen;
    for (const auto& f : field_table())
        for (auto names : {f.aliases, f.preferred, f.fallback})
            for (auto alias : names) {
                auto folded = fold_header(alias);
                CAPTURE(alias);
                auto [it, fresh] = seen.emplace(folded, std::string(f.name));
                CHECK(it->second == f.name); // "E-mail" and "Email" fold alike
                CHECK(field_for_header(alias) == f.id);
            }
}

TEST_CASE("a sheet read as Windows-1252: a '?' in a name is a character Excel could not save") {
    // Excel's "CSV (Comma delimited)" writes "Łukasz" as "?ukasz".
    auto sheet = sheet_of("Email,First Name,Last Name,Job Title\r\n"
                          "maria@x.com,Mar\xED"
                          "a,Gonz\xE1lez,Who?\r\n"
                          "lukasz@x.pl,?ukasz,Nowak,\r\n");
    CHECK(sheet.encoding() == csv_encoding::cp1252);
    auto rows = rows_of(sheet);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].valid()); // a '?' elsewhere is text
    CHECK(rows[0].user.first_name == "María");
    REQUIRE(rows[1].errors.size() == 1);
    CHECK(rows[1].errors[0].field == "first_name");
    CHECK(rows[1].errors[0].reason.find("could not save a character in Windows-1252") !=
          std::string::npos);
    // In UTF-8 a '?' is what the sheet says.
    auto utf8 = sheet_of("Email,First Name\nq@x.com,Who?\n");
    CHECK(rows_of(utf8).at(0).valid());
}
