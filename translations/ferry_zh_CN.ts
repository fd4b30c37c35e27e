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
    <name>Certificates</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <source>a validity of %1 days is out of range (1 to %2)</source>
        <translation>有效期 %1 天超出范围（1 到 %2）</translation>
    </message>
    <message>
        <source>%1: cannot create the directory: %2</source>
        <translation>%1：无法创建目录：%2</translation>
    </message>
    <message>
        <source>%1: no such directory</source>
        <translation>%1：目录不存在</translation>
    </message>
    <message>
        <source>%1: not a directory</source>
        <translation>%1：不是目录</translation>
    </message>
    <message>
        <source>%1 already exists; it is never overwritten (move it away first)</source>
        <translation>%1 已存在；已有文件绝不会被覆盖（请先将其移走）</translation>
    </message>
    <message>
        <source>%1: cannot create a file in this directory: %2</source>
        <translation>%1：无法在此目录中创建文件：%2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1: cannot create: %2</source>
        <translation>%1：无法创建：%2</translation>
    </message>
    <message>
        <source>generating an EC P-256 key</source>
        <translation>生成 EC P-256 密钥</translation>
    </message>
    <message>
        <source>encoding the certificate</source>
        <translation>编码证书</translation>
    </message>
    <message>
        <source>encoding the private key</source>
        <translation>编码私钥</translation>
    </message>
    <message>
        <source>generating a serial number</source>
        <translation>生成序列号</translation>
    </message>
    <message>
        <source>setting the validity period</source>
        <translation>设置有效期</translation>
    </message>
    <message>
        <source>adding the extension %1</source>
        <translation>添加扩展 %1</translation>
    </message>
    <message>
        <source>setting the subject name</source>
        <translation>设置主体名称</translation>
    </message>
    <message>
        <source>signing the certificate</source>
        <translation>签署证书</translation>
    </message>
    <message>
        <source>no deployment CA in %1: %2 does not exist (create the CA first with &quot;ferryctl certs init %1&quot;)</source>
        <translation>%1 中没有部署 CA：%2 不存在（请先用“ferryctl certs init %1”创建 CA）</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: larger than 1 MiB, not a PEM file</source>
        <translation>%1：大于 1 MiB，不是 PEM 文件</translation>
    </message>
    <message>
        <source>%1: not a PEM certificate</source>
        <translation>%1：不是 PEM 格式的证书</translation>
    </message>
    <message>
        <source>%1: not an unencrypted PEM private key</source>
        <translation>%1：不是未加密的 PEM 私钥</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a DNS name</source>
        <translation>“%1”不是有效的 DNS 名称</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation>“%1”不是有效的 IP 地址</translation>
    </message>
    <message>
        <source>adding the subject alternative names</source>
        <translation>添加主体备用名称</translation>
    </message>
    <message>
        <source>no directory given for the deployment CA</source>
        <translation>未指定部署 CA 的目录</translation>
    </message>
    <message>
        <source>creating the CA certificate</source>
        <translation>创建 CA 证书</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is reserved for the deployment CA; choose another name</source>
        <translation>“%1”保留给部署 CA 使用；请换一个名称</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a certificate name (a letter or digit, then letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 63)</source>
        <translation>“%1”不是有效的证书名称（以字母或数字开头，其后为字母、数字、“.”、“_”、“-”；最多 63 个字符）</translation>
    </message>
    <message>
        <source>%1 is not a CA certificate</source>
        <translation>%1 不是 CA 证书</translation>
    </message>
    <message>
        <source>%1 does not match the CA certificate %2 (a key from another CA?)</source>
        <translation>%1 与 CA 证书 %2 不匹配（是否为另一个 CA 的密钥？）</translation>
    </message>
    <message>
        <source>the CA certificate %1 expired on %2</source>
        <translation>CA 证书 %1 已于 %2 过期</translation>
    </message>
    <message>
        <source>creating the certificate</source>
        <translation>创建证书</translation>
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
    <name>NodeConfig</name>
    <message>
        <source>missing (a string is required)</source>
        <translation>缺失（需要一个字符串）</translation>
    </message>
    <message>
        <source>must be a string</source>
        <translation>必须是字符串</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>不能为空</translation>
    </message>
    <message>
        <source>missing (an object is required)</source>
        <translation>缺失（需要一个对象）</translation>
    </message>
    <message>
        <source>must be an object</source>
        <translation>必须是对象</translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <source>%1 is not a readable file</source>
        <translation>%1 不是可读的文件</translation>
    </message>
    <message>
        <source>unknown setting (known: %1)</source>
        <translation>未知设置（已知设置：%1）</translation>
    </message>
    <message>
        <source>%1: no such config file</source>
        <translation>%1：配置文件不存在</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: larger than 1 MiB, not a Ferry node config</source>
        <translation>%1：大于 1 MiB，不是 Ferry 节点配置</translation>
    </message>
    <message>
        <source>%1: line %2: not valid JSON: %3</source>
        <translation>%1：第 %2 行：不是有效的 JSON：%3</translation>
    </message>
    <message>
        <source>%1: the config must be a JSON object</source>
        <translation>%1：配置必须是一个 JSON 对象</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a node name (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 63)</source>
        <translation>“%1”不是有效的节点名称（字母、数字、“.”、“_”、“-”；最多 63 个字符）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address</source>
        <translation>“%1”不是有效的 IP 地址</translation>
    </message>
    <message>
        <source>missing (a port number is required)</source>
        <translation>缺失（需要端口号）</translation>
    </message>
    <message>
        <source>must be a whole number from 0 to 65535</source>
        <translation>必须是 0 到 65535 之间的整数</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a database name (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;)</source>
        <translation>“%1”不是有效的数据库名称（字母、数字、“.”、“_”、“-”）</translation>
    </message>
    <message>
        <source>must be a string: sqlite:PATH or postgresql://USER@HOST:PORT/DB</source>
        <translation>必须是字符串：sqlite:PATH 或 postgresql://USER@HOST:PORT/DB</translation>
    </message>
    <message>
        <source>names a table; a node serves whole databases (drop ?table=)</source>
        <translation>指定了表；节点提供的是整个数据库（请去掉 ?table=）</translation>
    </message>
    <message>
        <source>at least one database is required</source>
        <translation>至少需要一个数据库</translation>
    </message>
    <message>
        <source>%1 exists and is not a directory</source>
        <translation>%1 已存在且不是目录</translation>
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
    <name>TlsConfiguration</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1: is a directory, not a PEM file</source>
        <translation>%1：是目录，不是 PEM 文件</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: larger than 1 MiB, not a PEM file</source>
        <translation>%1：大于 1 MiB，不是 PEM 文件</translation>
    </message>
    <message>
        <source>%1: not a PEM certificate file</source>
        <translation>%1：不是 PEM 证书文件</translation>
    </message>
    <message>
        <source>%1: not a CA certificate</source>
        <translation>%1：不是 CA 证书</translation>
    </message>
    <message>
        <source>%1: not an unencrypted PEM private key</source>
        <translation>%1：不是未加密的 PEM 私钥</translation>
    </message>
    <message>
        <source>%1: unsupported kind of private key (use EC or RSA)</source>
        <translation>%1：不支持的私钥类型（请使用 EC 或 RSA）</translation>
    </message>
    <message>
        <source>%1 does not match the certificate %2 (the key belongs to another certificate)</source>
        <translation>%1 与证书 %2 不匹配（该密钥属于另一张证书）</translation>
    </message>
</context>
<context>
    <name>ferry-node</name>
    <message>
        <source>Serves one data center&apos;s databases to Ferry nodes and consoles over mutual TLS.</source>
        <translation>通过双向 TLS 向 Ferry 节点和控制台提供一个数据中心的数据库。</translation>
    </message>
    <message>
        <source>The node&apos;s JSON config file.</source>
        <translation>节点的 JSON 配置文件。</translation>
    </message>
    <message>
        <source>ferry-node: error: --config FILE is required
</source>
        <translation>ferry-node：错误：必须指定 --config FILE
</translation>
    </message>
    <message>
        <source>%1: cannot create the data directory</source>
        <translation>%1：无法创建数据目录</translation>
    </message>
    <message>
        <source>node %1 (%2) listening on %3:%4, %5 database(s)</source>
        <translation>节点 %1（%2）正在监听 %3:%4，共 %5 个数据库</translation>
    </message>
    <message>
        <source>%1 received: stopping</source>
        <translation>收到 %1：正在停止</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>ferry-node: error: %1
</source>
        <translation>ferry-node：错误：%1
</translation>
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
        <source>ferryctl: unknown command &quot;%1&quot;
</source>
        <translation>ferryctl：未知命令“%1”
</translation>
    </message>
    <message>
        <source>Usage: ferryctl certs init DIR [--days N]
       ferryctl certs issue DIR NAME [--days N] [--dns NAME]... [--ip ADDR]...

  init   Create the deployment CA for mutual TLS: DIR/ca.crt and DIR/ca.key.
  issue  Issue DIR/NAME.crt and DIR/NAME.key for a node or console, signed by
         the CA in DIR.

Existing files are never overwritten. Run &apos;ferryctl certs init --help&apos; or
&apos;ferryctl certs issue --help&apos; for the options.
</source>
        <translation>用法：ferryctl certs init DIR [--days N]
      ferryctl certs issue DIR NAME [--days N] [--dns NAME]... [--ip ADDR]...

  init   为双向 TLS 创建部署 CA：DIR/ca.crt 和 DIR/ca.key。
  issue  为节点或控制台签发 DIR/NAME.crt 和 DIR/NAME.key，由 DIR 中的
         CA 签名。

已有文件绝不会被覆盖。运行“ferryctl certs init --help”或
“ferryctl certs issue --help”查看选项。
</translation>
    </message>
    <message>
        <source>--days must be a whole number from 1 to %1, not &quot;%2&quot;</source>
        <translation>--days 必须是 1 到 %1 之间的整数，而不是“%2”</translation>
    </message>
    <message>
        <source>Create the deployment CA for mutual TLS between Ferry nodes and consoles: DIR/ca.crt and DIR/ca.key (EC P-256). DIR is created if missing; existing files are never overwritten.</source>
        <translation>为 Ferry 节点和控制台之间的双向 TLS 创建部署 CA：DIR/ca.crt 和 DIR/ca.key（EC P-256）。DIR 不存在时会被创建；已有文件绝不会被覆盖。</translation>
    </message>
    <message>
        <source>the deployment&apos;s certificate directory</source>
        <translation>本部署的证书目录</translation>
    </message>
    <message>
        <source>Validity of the CA in days (default 3650).</source>
        <translation>CA 的有效期天数（默认 3650）。</translation>
    </message>
    <message>
        <source>certs init needs exactly one directory, DIR</source>
        <translation>certs init 需要恰好一个目录：DIR</translation>
    </message>
    <message>
        <source>Created the deployment CA &quot;%1&quot;, valid until %2:</source>
        <translation>已创建部署 CA“%1”，有效期至 %2：</translation>
    </message>
    <message>
        <source>  %1  certificate: copy it to every node and console</source>
        <translation>  %1  证书：复制到每个节点和控制台</translation>
    </message>
    <message>
        <source>  %1  private key (mode 0600): keep it secret; it signs every certificate</source>
        <translation>  %1  私钥（权限 0600）：请妥善保密；所有证书都由它签名</translation>
    </message>
    <message>
        <source>Issue a certificate and key for a node or console, signed by the deployment CA in DIR: DIR/NAME.crt and DIR/NAME.key (EC P-256), good for both the server and the client side of mutual TLS. Existing files are never overwritten.</source>
        <translation>为节点或控制台签发证书和密钥，由 DIR 中的部署 CA 签名：DIR/NAME.crt 和 DIR/NAME.key（EC P-256），可同时用于双向 TLS 的服务端和客户端。已有文件绝不会被覆盖。</translation>
    </message>
    <message>
        <source>the directory holding ca.crt and ca.key</source>
        <translation>存放 ca.crt 和 ca.key 的目录</translation>
    </message>
    <message>
        <source>the node or console name: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;; at most 63</source>
        <translation>节点或控制台的名称：字母、数字、“.”、“_”、“-”；最多 63 个字符</translation>
    </message>
    <message>
        <source>Validity in days (default 825).</source>
        <translation>有效期天数（默认 825）。</translation>
    </message>
    <message>
        <source>Another DNS name for the certificate (repeatable); NAME and localhost are always included.</source>
        <translation>证书的另一个 DNS 名称（可重复指定）；NAME 和 localhost 总会包含在内。</translation>
    </message>
    <message>
        <source>An IP address for the certificate (repeatable); 127.0.0.1 and ::1 are always included.</source>
        <translation>证书的 IP 地址（可重复指定）；127.0.0.1 和 ::1 总会包含在内。</translation>
    </message>
    <message>
        <source>certs issue needs exactly a directory and a name, DIR and NAME</source>
        <translation>certs issue 需要恰好一个目录和一个名称：DIR 和 NAME</translation>
    </message>
    <message>
        <source>Issued a certificate for &quot;%1&quot;, valid until %2:</source>
        <translation>已为“%1”签发证书，有效期至 %2：</translation>
    </message>
    <message>
        <source>  %1  certificate</source>
        <translation>  %1  证书</translation>
    </message>
    <message>
        <source>  %1  private key (mode 0600): copy it only to %2</source>
        <translation>  %1  私钥（权限 0600）：只复制到 %2</translation>
    </message>
    <message>
        <source>  names: %1</source>
        <translation>  名称：%1</translation>
    </message>
    <message>
        <source>unknown certs command &quot;%1&quot; (use init or issue)</source>
        <translation>未知的 certs 子命令“%1”（请使用 init 或 issue）</translation>
    </message>
    <message>
        <source>Usage: ferryctl COMMAND [ARGUMENTS]

Commands:
  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
          [--digest md5|sha256] [--json]
      Compare a table in two databases block by block; with --repair make
      the target identical. Exit 0 identical, 1 different, 2 error.
  certs init DIR [--days N]
      Create the deployment CA for mutual TLS (DIR/ca.crt, DIR/ca.key).
  certs issue DIR NAME [--days N] [--dns NAME]... [--ip ADDR]...
      Issue DIR/NAME.crt and DIR/NAME.key for a node or console, signed by
      the CA in DIR.

Run &apos;ferryctl COMMAND --help&apos; for the options of a command.
</source>
        <translation>用法：ferryctl 命令 [参数]

命令：
  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
          [--digest md5|sha256] [--json]
      逐块比较两个数据库中的同一张表；使用 --repair 时使目标端与源端
      完全一致。退出码：0 一致，1 不一致，2 出错。
  certs init DIR [--days N]
      为双向 TLS 创建部署 CA（DIR/ca.crt、DIR/ca.key）。
  certs issue DIR NAME [--days N] [--dns NAME]... [--ip ADDR]...
      为节点或控制台签发 DIR/NAME.crt 和 DIR/NAME.key，由 DIR 中的
      CA 签名。

运行“ferryctl 命令 --help”查看某个命令的选项。
</translation>
    </message>
    <message>
        <source>certs needs a subcommand, init or issue</source>
        <translation>certs 需要一个子命令：init 或 issue</translation>
    </message>
</context>
</TS>
