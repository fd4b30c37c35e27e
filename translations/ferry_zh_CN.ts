<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BlockVerifier</name>
    <message>
        <source>verification of &quot;%1&quot; was cancelled</source>
        <translation>对“%1”的校验已取消</translation>
    </message>
    <message>
        <source>%1 answered %2 digests for %3 ranges</source>
        <translation>%1 为 %3 个范围返回了 %2 个摘要</translation>
    </message>
    <message>
        <source>%1 answered %2 digests for %3 sub-ranges</source>
        <translation>%1 为 %3 个子范围返回了 %2 个摘要</translation>
    </message>
    <message>
        <source>block %1 %2 still differs after %3 repair attempts</source>
        <translation>块 %1 %2 经过 %3 次修复尝试后仍然不一致</translation>
    </message>
</context>
<context>
    <name>DataSource</name>
    <message>
        <source>%1: unknown parameter &quot;%2&quot; (only table=NAME is understood)</source>
        <translation>%1：未知参数“%2”（只支持 table=NAME）</translation>
    </message>
    <message>
        <source>%1: no table given (add ?table=NAME)</source>
        <translation>%1：未指定表（请添加 ?table=NAME）</translation>
    </message>
    <message>
        <source>%1: no SQLite file path (expected sqlite:PATH?table=NAME)</source>
        <translation>%1：缺少 SQLite 文件路径（格式应为 sqlite:PATH?table=NAME）</translation>
    </message>
    <message>
        <source>%1: malformed PostgreSQL URL (%2)</source>
        <translation>%1：PostgreSQL URL 格式错误（%2）</translation>
    </message>
    <message>
        <source>%1: no host (expected postgresql://USER@HOST:PORT/DB?table=NAME)</source>
        <translation>%1：缺少主机（格式应为 postgresql://USER@HOST:PORT/DB?table=NAME）</translation>
    </message>
    <message>
        <source>%1: port out of range</source>
        <translation>%1：端口超出范围</translation>
    </message>
    <message>
        <source>%1: no database name (expected postgresql://USER@HOST:PORT/DB?table=NAME)</source>
        <translation>%1：缺少数据库名（格式应为 postgresql://USER@HOST:PORT/DB?table=NAME）</translation>
    </message>
    <message>
        <source>%1: unknown kind of location (expected sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME)</source>
        <translation>%1：无法识别的位置类型（格式应为 sqlite:PATH?table=NAME 或 postgresql://USER@HOST:PORT/DB?table=NAME）</translation>
    </message>
</context>
<context>
    <name>Digest</name>
    <message>
        <source>OpenSSL cannot provide the %1 digest</source>
        <translation>OpenSSL 无法提供 %1 摘要算法</translation>
    </message>
    <message>
        <source>OpenSSL digest initialisation failed</source>
        <translation>OpenSSL 摘要初始化失败</translation>
    </message>
</context>
<context>
    <name>PostgresStore</name>
    <message>
        <source>cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; does not exist</source>
        <translation>%1：表“%2”不存在</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a table</source>
        <translation>%1：“%2”不是表</translation>
    </message>
    <message>
        <source>%1: column &quot;%2&quot; of table &quot;%3&quot; has type &quot;%4&quot;, which Ferry cannot replicate (supported: integer types, real, double precision, text, varchar, char, bytea, boolean, timestamp, timestamptz, date, numeric)</source>
        <translation>%1：表“%3”的列“%2”的类型为“%4”，Ferry 无法复制该类型（支持的类型：各种整数类型、real、double precision、text、varchar、char、bytea、boolean、timestamp、timestamptz、date、numeric）</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; has no primary key; Ferry needs one to split it into key ranges</source>
        <translation>%1：表“%2”没有主键；Ferry 需要主键才能把表划分为键范围</translation>
    </message>
</context>
<context>
    <name>SqlStore</name>
    <message>
        <source>%1: Qt SQL driver %2 is not installed (Debian: libqt6sql6-%3)</source>
        <translation>%1：未安装 Qt SQL 驱动 %2（Debian 软件包：libqt6sql6-%3）</translation>
    </message>
    <message>
        <source>query failed</source>
        <translation>查询失败</translation>
    </message>
    <message>
        <source>cannot prepare query</source>
        <translation>无法准备查询</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot;, column &quot;%3&quot; (%4) holds a value that is not %4: %5</source>
        <translation>%1：表“%2”的列“%3”（%4）中有一个不是 %4 的值：%5</translation>
    </message>
    <message>
        <source>reading table &quot;%1&quot; failed</source>
        <translation>读取表“%1”失败</translation>
    </message>
    <message>
        <source>cannot begin a transaction to %1</source>
        <translation>无法开始用于%1的事务</translation>
    </message>
    <message>
        <source>%1: commit of %2 failed: %3</source>
        <translation>%1：%2的提交失败：%3</translation>
    </message>
    <message>
        <source>cannot prepare insert into &quot;%1&quot;</source>
        <translation>无法准备向“%1”插入的语句</translation>
    </message>
    <message>
        <source>insert into &quot;%1&quot; failed</source>
        <translation>向“%1”插入失败</translation>
    </message>
    <message>
        <source>repair of table &quot;%1&quot;</source>
        <translation>修复表“%1”</translation>
    </message>
    <message>
        <source>upsert into table &quot;%1&quot;</source>
        <translation>向表“%1”插入或更新</translation>
    </message>
    <message>
        <source>delete from table &quot;%1&quot;</source>
        <translation>从表“%1”删除</translation>
    </message>
    <message>
        <source>cannot prepare delete from &quot;%1&quot;</source>
        <translation>无法准备从“%1”删除的语句</translation>
    </message>
    <message>
        <source>delete from &quot;%1&quot; failed</source>
        <translation>从“%1”删除失败</translation>
    </message>
</context>
<context>
    <name>SqliteStore</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1: not a regular file</source>
        <translation>%1：不是普通文件</translation>
    </message>
    <message>
        <source>cannot open</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; does not exist</source>
        <translation>%1：表“%2”不存在</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is a view, not a table</source>
        <translation>%1：“%2”是视图，不是表</translation>
    </message>
    <message>
        <source>%1: column &quot;%2&quot; of table &quot;%3&quot; has type &quot;%4&quot;, which Ferry cannot replicate (supported: integer, real, text, blob, boolean, timestamp, numeric)</source>
        <translation>%1：表“%3”的列“%2”的类型为“%4”，Ferry 无法复制该类型（支持的类型：integer、real、text、blob、boolean、timestamp、numeric）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>%1: table &quot;%2&quot; has no primary key; Ferry needs one to split it into key ranges</source>
        <translation>%1：表“%2”没有主键；Ferry 需要主键才能把表划分为键范围</translation>
    </message>
    <message>
        <source>cannot prepare query</source>
        <translation>无法准备查询</translation>
    </message>
    <message>
        <source>cannot bind a key value</source>
        <translation>无法绑定键值</translation>
    </message>
</context>
<context>
    <name>TableSchema</name>
    <message>
        <source>column &quot;%1&quot; of source table &quot;%2&quot; is missing in target table &quot;%3&quot;</source>
        <translation>源表“%2”的列“%1”在目标表“%3”中不存在</translation>
    </message>
    <message>
        <source>column &quot;%1&quot; is %2 (%3) in source table &quot;%4&quot; but %5 (%6) in target table &quot;%7&quot;</source>
        <translation>列“%1”在源表“%4”中为 %2（%3），但在目标表“%7”中为 %5（%6）</translation>
    </message>
    <message>
        <source>target table &quot;%1&quot; has column &quot;%2&quot; that source table &quot;%3&quot; lacks</source>
        <translation>目标表“%1”有源表“%3”中没有的列“%2”</translation>
    </message>
    <message>
        <source>columns of &quot;%1&quot; and &quot;%2&quot; are in a different order (%3 / %4)</source>
        <translation>“%1”和“%2”的列顺序不同（%3 / %4）</translation>
    </message>
    <message>
        <source>primary key of source table &quot;%1&quot; is (%2) but of target table &quot;%3&quot; is (%4)</source>
        <translation>源表“%1”的主键为 (%2)，而目标表“%3”的主键为 (%4)</translation>
    </message>
</context>
<context>
    <name>ferryctl</name>
    <message>
        <source>[%1] blocks %2/%3  differ %4  repaired %5  rows sent %6</source>
        <translation>[%1] 块 %2/%3  不一致 %4  已修复 %5  已发送行 %6</translation>
    </message>
    <message>
        <source>[%1] hashing: %2 blocks planned, %3 differ</source>
        <translation>[%1] 正在计算摘要：已规划 %2 个块，%3 个不一致</translation>
    </message>
    <message>
        <source>ferryctl: error: %1</source>
        <translation>ferryctl：错误：%1</translation>
    </message>
    <message>
        <source>Compare a table in two databases block by block, and optionally repair the target.</source>
        <translation>逐块比较两个数据库中的同一张表，并可选择修复目标端。</translation>
    </message>
    <message>
        <source>sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME</source>
        <translation>sqlite:PATH?table=NAME 或 postgresql://USER@HOST:PORT/DB?table=NAME</translation>
    </message>
    <message>
        <source>the same forms; this side is repaired</source>
        <translation>格式同上；修复时修改的是这一端</translation>
    </message>
    <message>
        <source>Make the target identical to the source.</source>
        <translation>使目标端与源端完全一致。</translation>
    </message>
    <message>
        <source>Rows per block (default 1000).</source>
        <translation>每个块的行数（默认 1000）。</translation>
    </message>
    <message>
        <source>Adaptive blocks: size each block to take about MS milliseconds to hash.</source>
        <translation>自适应分块：调整每个块的大小，使计算其摘要约需 MS 毫秒。</translation>
    </message>
    <message>
        <source>Block digest: md5 (default) or sha256.</source>
        <translation>块摘要算法：md5（默认）或 sha256。</translation>
    </message>
    <message>
        <source>Print one JSON object instead of the summary.</source>
        <translation>输出一个 JSON 对象，代替汇总信息。</translation>
    </message>
    <message>
        <source>compare needs exactly two locations, SOURCE and TARGET</source>
        <translation>compare 需要恰好两个位置：SOURCE 和 TARGET</translation>
    </message>
    <message>
        <source>--block-rows must be a whole number from 1 to 10000000, not &quot;%1&quot;</source>
        <translation>--block-rows 必须是 1 到 10000000 之间的整数，而不是“%1”</translation>
    </message>
    <message>
        <source>--block-time must be a whole number of milliseconds from 1 to 60000, not &quot;%1&quot;</source>
        <translation>--block-time 必须是 1 到 60000 之间的整数毫秒数，而不是“%1”</translation>
    </message>
    <message>
        <source>unknown digest &quot;%1&quot; (use md5 or sha256)</source>
        <translation>未知的摘要算法“%1”（请使用 md5 或 sha256）</translation>
    </message>
    <message>
        <source>source and target are the same table (%1)</source>
        <translation>源端和目标端是同一张表（%1）</translation>
    </message>
    <message>
        <source>schemas differ: %1</source>
        <translation>表结构不一致：%1</translation>
    </message>
    <message>
        <source>Compared %1 -&gt; %2 (%3)</source>
        <translation>已比较 %1 -&gt; %2（%3）</translation>
    </message>
    <message>
        <source>  blocks          %1 (%2 differed, %3 repaired, %4 failed)</source>
        <translation>  块              %1（%2 个不一致，%3 个已修复，%4 个失败）</translation>
    </message>
    <message>
        <source>  rows compared   %1 source, %2 target</source>
        <translation>  已比较行数      源端 %1，目标端 %2</translation>
    </message>
    <message>
        <source>  rows sent       %1 (%2 bytes)</source>
        <translation>  已发送行数      %1（%2 字节）</translation>
    </message>
    <message>
        <source>  time            %1 s</source>
        <translation>  耗时            %1 秒</translation>
    </message>
    <message>
        <source>  failed          %1</source>
        <translation>  失败            %1</translation>
    </message>
    <message>
        <source>Result: identical after repair.</source>
        <translation>结果：修复后完全一致。</translation>
    </message>
    <message>
        <source>Result: identical.</source>
        <translation>结果：完全一致。</translation>
    </message>
    <message>
        <source>Result: still different in %1 blocks.</source>
        <translation>结果：仍有 %1 个块不一致。</translation>
    </message>
    <message>
        <source>Result: different in %1 blocks; run with --repair to make the target match.</source>
        <translation>结果：有 %1 个块不一致；加上 --repair 运行可使目标端与源端一致。</translation>
    </message>
    <message>
        <source>Usage: ferryctl COMMAND [ARGUMENTS]

Commands:
  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
          [--digest md5|sha256] [--json]
      Compare a table in two databases block by block; with --repair make
      the target identical. Exit 0 identical, 1 different, 2 error.

Run &apos;ferryctl COMMAND --help&apos; for the options of a command.
</source>
        <translation>用法：ferryctl 命令 [参数]

命令：
  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
          [--digest md5|sha256] [--json]
      逐块比较两个数据库中的同一张表；使用 --repair 时使目标端与源端
      完全一致。退出码：0 一致，1 不一致，2 出错。

运行“ferryctl 命令 --help”查看某个命令的选项。
</translation>
    </message>
    <message>
        <source>ferryctl: unknown command &quot;%1&quot;
</source>
        <translation>ferryctl：未知命令“%1”
</translation>
    </message>
</context>
</TS>
